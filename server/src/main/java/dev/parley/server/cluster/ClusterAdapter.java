package dev.parley.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.socketio.Ack;
import dev.parley.socketio.Adapter;
import dev.parley.socketio.Args;
import dev.parley.socketio.BroadcastOptions;
import dev.parley.socketio.EventPacket;
import dev.parley.socketio.LocalAdapter;
import dev.parley.socketio.Namespace;
import dev.parley.socketio.RemoteSocket;
import dev.parley.socketio.Socket;
import dev.parley.socketio.Handshake;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter of a namespace on a node of a cluster: membership and delivery stay local (a
 * {@link LocalAdapter} does them), and every broadcast and server-side operation that is not
 * marked {@code local} is also published once on the namespace's Redis channel, for the other
 * nodes to carry out on their own sockets. A node ignores what it published itself.
 *
 * <p>What crosses is JSON: event arguments are written with the server's mapper and re-sent from
 * the parsed tree, so they reach remote clients exactly as local ones. Binary arguments do not
 * cross (Socket.IO binary attachments have no JSON form); such a broadcast stays on its node and
 * says so in the log.
 *
 * <p>{@link #fetchSockets} asks the other nodes too (as many as are subscribed to the channel)
 * and answers with what came within {@link #FETCH_TIMEOUT}; socket data crosses as JSON, values
 * without a JSON form are left out. {@link #rooms} answers for this node's sockets only.
 */
public final class ClusterAdapter implements Adapter {
  private static final Logger log = LoggerFactory.getLogger(ClusterAdapter.class);

  private final LocalAdapter local;
  private final Namespace namespace;
  private final RedisBus bus;
  private final ObjectMapper mapper;
  private final String channel;
  /** Where the other nodes answer this node's requests. */
  private final String replies;
  /** This node's requests waiting for answers, by request id. */
  private final Map<String, Fetch> fetches = new ConcurrentHashMap<>();
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

  /** The adapter of {@code namespace}, linked to the other nodes through {@code bus}. */
  public ClusterAdapter(Namespace namespace, RedisBus bus) {
    this.namespace = namespace;
    this.local = new LocalAdapter(namespace);
    this.bus = bus;
    this.mapper = namespace.server().options().mapper();
    this.channel = bus.key("sio#" + namespace.name());
    this.replies = channel + "#" + bus.nodeId();
    bus.subscribe(channel, this::receive);
    bus.subscribe(replies, this::receiveReply);
  }

  @Override
  public void addAll(Socket socket, Set<String> rooms) {
    local.addAll(socket, rooms);
  }

  @Override
  public void del(Socket socket, String room) {
    local.del(socket, room);
  }

  @Override
  public void delAll(Socket socket) {
    local.delAll(socket);
  }

  @Override
  public void broadcast(EventPacket event, BroadcastOptions options) {
    local.broadcast(event, options);
    if (options.local()) {
      return;
    }
    if (hasBinary(event)) {
      log.warn("event {} of {} has binary arguments: sent to this node's sockets only", event.event(),
          namespace.name());
      return;
    }
    ObjectNode out = envelope("emit", options);
    out.put("event", event.event());
    out.set("args", mapper.valueToTree(event.args()));
    publish(out);
  }

  @Override
  public CompletableFuture<Set<String>> rooms() {
    return local.rooms();
  }

  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets(BroadcastOptions options) {
    CompletableFuture<List<RemoteSocket>> here = local.fetchSockets(options);
    if (options.local()) {
      return here;
    }
    String id = UUID.randomUUID().toString();
    Fetch fetch = new Fetch();
    fetches.put(id, fetch);
    bus.subscribers(channel).whenComplete((count, error) -> {
      int others = error == null && count != null ? (int) Math.max(0, count - 1) : 0;
      fetch.expect(others);
      if (others > 0) {
        ObjectNode out = envelope("fetch", options);
        out.put("req", id);
        publish(out);
      }
    });
    CompletableFuture.delayedExecutor(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(fetch::finish);
    return fetch.done.whenComplete((v, e) -> fetches.remove(id)).thenCombine(here, (there, mine) -> {
      List<RemoteSocket> all = new ArrayList<>(mine);
      all.addAll(there);
      return all;
    });
  }

  /** The answers to one fetch request. Thread-safe. */
  private static final class Fetch {
    final CompletableFuture<List<RemoteSocket>> done = new CompletableFuture<>();
    private final List<RemoteSocket> sockets = new ArrayList<>();
    /** Answers still awaited; -1 until the number of nodes is known. */
    private int awaited = -1;
    private int early;

    synchronized void expect(int nodes) {
      awaited = nodes - early;
      if (awaited <= 0) {
        finish();
      }
    }

    synchronized void answer(List<RemoteSocket> found) {
      sockets.addAll(found);
      if (awaited < 0) {
        early++;
      } else if (--awaited <= 0) {
        finish();
      }
    }

    synchronized void finish() {
      done.complete(List.copyOf(sockets));
    }
  }

  @Override
  public void addSockets(BroadcastOptions options, Set<String> rooms) {
    local.addSockets(options, rooms);
    if (!options.local()) {
      ObjectNode out = envelope("join", options);
      out.set("names", strings(rooms));
      publish(out);
    }
  }

  @Override
  public void delSockets(BroadcastOptions options, Set<String> rooms) {
    local.delSockets(options, rooms);
    if (!options.local()) {
      ObjectNode out = envelope("leave", options);
      out.set("names", strings(rooms));
      publish(out);
    }
  }

  @Override
  public void disconnectSockets(BroadcastOptions options, boolean close) {
    local.disconnectSockets(options, close);
    if (!options.local()) {
      ObjectNode out = envelope("disconnect", options);
      out.put("close", close);
      publish(out);
    }
  }

  @Override
  public void serverSideEmit(EventPacket event) {
    if (hasBinary(event)) {
      throw new IllegalArgumentException("server-side events cannot carry binary arguments between nodes");
    }
    ObjectNode out = envelope("server", BroadcastOptions.ALL);
    out.put("event", event.event());
    out.set("args", mapper.valueToTree(event.args()));
    publish(out);
  }

  @Override
  public void close() {
    local.close();
  }

  // ---- the wire --------------------------------------------------------------------------------

  private ObjectNode envelope(String op, BroadcastOptions options) {
    ObjectNode out = mapper.createObjectNode();
    out.put("node", bus.nodeId());
    out.put("op", op);
    out.set("rooms", strings(options.rooms()));
    out.set("except", strings(options.except()));
    if (options.volatileEmit()) {
      out.put("volatile", true);
    }
    return out;
  }

  private ArrayNode strings(Set<String> values) {
    ArrayNode array = mapper.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  private void publish(ObjectNode message) {
    try {
      bus.publish(channel, mapper.writeValueAsString(message));
    } catch (JsonProcessingException e) {
      log.warn("a cluster message of {} could not be written: {}", namespace.name(), e.getMessage());
    }
  }

  /** Carries out what another node published. On the subscriber's thread; never blocks. */
  private void receive(String text) {
    JsonNode in;
    try {
      in = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      log.warn("an unreadable cluster message on {} was ignored", channel);
      return;
    }
    if (in.path("node").asInt(-1) == bus.nodeId()) {
      return;
    }
    BroadcastOptions options = new BroadcastOptions(set(in.path("rooms")), set(in.path("except")),
        in.path("volatile").asBoolean(false), true);
    switch (in.path("op").asText()) {
      case "emit" -> local.broadcast(new EventPacket(in.path("event").asText(), args(in.path("args"))), options);
      case "join" -> local.addSockets(options, set(in.path("names")));
      case "leave" -> local.delSockets(options, set(in.path("names")));
      case "disconnect" -> local.disconnectSockets(options, in.path("close").asBoolean(false));
      case "fetch" -> answerFetch(in.path("node").asInt(), in.path("req").asText(), options);
      case "server" -> namespace.receiveServerSideEvent(in.path("event").asText(),
          Args.of(args(in.path("args")).stream().map(JsonNode.class::cast).toList(), mapper), NO_ACK);
      default -> log.debug("unknown cluster operation {}", in.path("op").asText());
    }
  }

  /** Tells node {@code to} which of this node's sockets its request targets. */
  private void answerFetch(int to, String req, BroadcastOptions options) {
    local.fetchSockets(options).thenAccept(sockets -> {
      ObjectNode out = mapper.createObjectNode();
      out.put("req", req);
      ArrayNode list = out.putArray("sockets");
      for (RemoteSocket s : sockets) {
        ObjectNode one = list.addObject();
        one.put("id", s.id());
        one.set("rooms", strings(s.rooms()));
        ObjectNode data = one.putObject("data");
        s.data().forEach((key, value) -> {
          try {
            data.set(key, mapper.valueToTree(value));
          } catch (IllegalArgumentException e) {
            // No JSON form (a future, a handle): stays on its node.
          }
        });
        Handshake h = s.handshake();
        ObjectNode hs = one.putObject("handshake");
        hs.set("headers", mapper.valueToTree(h.headers()));
        hs.set("query", mapper.valueToTree(h.query()));
        hs.put("host", h.address() == null ? "" : h.address().getHostString());
        hs.put("port", h.address() == null ? 0 : h.address().getPort());
        hs.put("time", h.time().toEpochMilli());
        hs.put("secure", h.secure());
        hs.put("url", h.url());
        hs.set("auth", h.auth());
      }
      try {
        bus.publish(channel + "#" + to, mapper.writeValueAsString(out));
      } catch (JsonProcessingException e) {
        log.warn("sockets of {} not sent: {}", namespace.name(), e.getMessage());
      }
    });
  }

  private void receiveReply(String text) {
    try {
      JsonNode in = mapper.readTree(text);
      Fetch fetch = fetches.get(in.path("req").asText());
      if (fetch == null) {
        return;
      }
      List<RemoteSocket> found = new ArrayList<>();
      for (JsonNode one : in.path("sockets")) {
        JsonNode hs = one.path("handshake");
        Handshake handshake = new Handshake(strings(hs.path("headers")), strings(hs.path("query")),
            InetSocketAddress.createUnresolved(hs.path("host").asText(), hs.path("port").asInt()),
            Instant.ofEpochMilli(hs.path("time").asLong()), hs.path("secure").asBoolean(), hs.path("url").asText(),
            hs.path("auth").isObject() ? (ObjectNode) hs.path("auth") : mapper.createObjectNode());
        Map<String, Object> data = new HashMap<>();
        one.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue()));
        found.add(RemoteSocket.of(namespace, one.path("id").asText(), handshake, set(one.path("rooms")), data));
      }
      fetch.answer(found);
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("an unreadable answer on {} was ignored: {}", replies, e.toString());
    }
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new HashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static Set<String> set(JsonNode array) {
    Set<String> out = new HashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Object> args(JsonNode array) {
    List<Object> out = new ArrayList<>(array.size());
    array.forEach(out::add);
    return out;
  }

  private static boolean hasBinary(EventPacket event) {
    for (Object arg : event.args()) {
      if (arg instanceof byte[] || arg instanceof ByteBuffer) {
        return true;
      }
    }
    return false;
  }

  /** Server-side events between nodes carry no acknowledgement. */
  private static final Ack NO_ACK = new Ack() {
    @Override
    public void send(Object... args) {}

    @Override
    public boolean requested() {
      return false;
    }
  };
}
