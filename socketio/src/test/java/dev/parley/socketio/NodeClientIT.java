package dev.parley.socketio;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server against the official Node.js client, {@code socket.io-client} as pinned in
 * {@code src/test/node/package.json}. Each test starts a real server on a free port and runs one
 * scenario script from {@code src/test/node} (see {@code lib.js} there for the conventions), then
 * checks what both sides saw.
 */
@Timeout(value = 30, unit = SECONDS)
class NodeClientIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SocketIoServer server;
  private final List<NodeScenario> scenarios = new ArrayList<>();

  @BeforeAll
  static void nodeClientInstalled() {
    NodeScenario.requireClient();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (NodeScenario scenario : scenarios) {
      scenario.close();
    }
    if (server != null) {
      server.close();
    }
  }

  // ---- transports ----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"polling", "websocket", "upgrade"})
  void connectsAndExchangesEventsOverEachTransport(String mode) throws Exception {
    server(ServerOptions.builder());
    BlockingQueue<String> handshakeTransport = new LinkedBlockingQueue<>();
    BlockingQueue<String> transportOfEchoes = new LinkedBlockingQueue<>();
    server.sockets().onConnection(socket -> {
      handshakeTransport.add(socket.handshake().queryParam("transport").orElse("none"));
      socket.emit("welcome", Map.of("id", socket.id()));
      socket.on("echo", (args, ack) -> {
        transportOfEchoes.add(socket.transport());
        ack.send(args.get(0));
      });
    });
    server.start();

    NodeScenario node = node("transport.js", "mode=" + mode);
    JsonNode connected = node.expect("connected");
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    String first = mode.equals("websocket") ? "websocket" : "polling";
    String last = mode.equals("polling") ? "polling" : "websocket";
    assertThat(connected.get("transport").asText()).isEqualTo(first);
    assertThat(poll(handshakeTransport, "the connection")).isEqualTo(first);
    assertThat(result.get("transport").asText()).isEqualTo(last);
    List<String> echoTransports = new ArrayList<>();
    transportOfEchoes.drainTo(echoTransports);
    assertThat(echoTransports).hasSize(5).containsOnly(last);
    assertThat(result.get("echoes")).isEqualTo(json(IntStream.range(0, 5)
        .mapToObj(i -> Map.of("i", i, "text", "message " + i)).toList()));
    assertThat(result.get("events")).isEqualTo(json(List.of(
        Map.of("event", "welcome", "args", List.of(Map.of("id", connected.get("id").asText()))))));
  }

  // ---- events and acknowledgements -----------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"polling", "websocket"})
  void eventsAndAcknowledgementsFlowBothWays(String transport) throws Exception {
    server(ServerOptions.builder());
    CompletableFuture<Args> hello = new CompletableFuture<>();
    CompletableFuture<Boolean> helloWantedAck = new CompletableFuture<>();
    CompletableFuture<Args> answer = new CompletableFuture<>();
    CompletableFuture<Throwable> unanswered = new CompletableFuture<>();
    server.sockets().onConnection(socket -> {
      socket.on("hello", (args, ack) -> {
        helloWantedAck.complete(ack.requested());
        hello.complete(args);
      });
      socket.on("sum", (args, ack) -> {
        int sum = 0;
        for (JsonNode n : args) {
          sum += n.asInt();
        }
        ack.send(sum);
      });
      socket.on("pair", (args, ack) -> ack.send(args.get(1), args.get(0)));
      socket.emitWithAck(WAIT, "ask", Map.of("question", "ping?")).whenComplete(into(answer));
      socket.emit("news", "headline", Map.of("count", 3));
      // The client has no handler for this one, so it never acknowledges it.
      socket.emitWithAck(Duration.ofMillis(200), "unanswered", 1).whenComplete((args, error) -> {
        unanswered.complete(error);
        socket.emit("bye");
      });
    });
    server.start();

    NodeScenario node = node("events.js", "transport=" + transport);
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    Args received = await(hello, "'hello'");
    assertThat(received.size()).isEqualTo(7);
    assertThat(received.text(0)).contains("text");
    assertThat(received.get(1).isInt()).isTrue();
    assertThat(received.get(1).intValue()).isEqualTo(42);
    assertThat(received.get(2).doubleValue()).isEqualTo(3.5);
    assertThat(received.get(3).booleanValue()).isTrue();
    assertThat(received.get(4).isNull()).isTrue();
    assertThat(received.get(5)).isEqualTo(json(Map.of("nested", Map.of("list", List.of(1, "two", Map.of("three", 3))))));
    assertThat(received.get(6)).isEqualTo(json(List.of("a", 1)));
    assertThat(await(helloWantedAck, "'hello'")).isFalse();

    assertThat(result.get("sum").intValue()).isEqualTo(10);
    assertThat(result.get("pair")).isEqualTo(json(List.of("right", "left")));
    assertThat(result.get("question")).isEqualTo(json(Map.of("question", "ping?")));
    assertThat(await(answer, "the answer to 'ask'").list())
        .containsExactly(json(Map.of("answer", "PING?", "seen", Map.of("question", "ping?"))));
    assertThat(await(unanswered, "the timeout of 'unanswered'")).isInstanceOf(TimeoutException.class);

    assertThat(eventNames(result.get("events"))).containsExactly("ask", "news", "unanswered", "bye");
    assertThat(result.at("/events/1/args")).isEqualTo(json(List.of("headline", Map.of("count", 3))));
    // The server asked for an acknowledgement of "unanswered": the client got a callback.
    assertThat(result.at("/events/2/args")).isEqualTo(json(List.of(1, Map.of("$function", true))));
  }

  // ---- binary --------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"polling", "websocket"})
  void binaryTravelsBothWays(String transport) throws Exception {
    server(ServerOptions.builder());
    CompletableFuture<Args> upload = new CompletableFuture<>();
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    server.sockets().onConnection(socket -> socket.on("upload", (args, ack) -> {
      upload.complete(args);
      byte[] small = args.bytes(1).orElse(new byte[0]);
      ack.send("stored", reversed(small),
          Map.of("sizes", List.of(args.bytes(0).map(b -> b.length).orElse(-1), small.length)));
      socket.emit("download", new byte[] {1, 2, 3},
          Map.of("file", Map.of("name", "all.bin", "data", everyByte)),
          ByteBuffer.wrap(new byte[] {(byte) 0xca, (byte) 0xfe}), "plain text");
    }));
    server.start();

    NodeScenario node = node("binary.js", "transport=" + transport);
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    Args received = await(upload, "'upload'");
    assertThat(received.bytes(0)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(pattern(64 * 1024)));
    assertThat(received.bytes(1)).hasValueSatisfying(bytes ->
        assertThat(bytes).containsExactly(0, 1, 2, 253, 254, 255));
    JsonNode note = received.get(2);
    assertThat(note.get("name").asText()).isEqualTo("note.txt");
    assertThat(note.get("content").isBinary()).isTrue();
    assertThat(new String(note.get("content").binaryValue(), StandardCharsets.UTF_8)).isEqualTo("héllo");
    assertThat(note.at("/parts/0").binaryValue()).containsExactly(7);
    assertThat(note.at("/parts/1").asText()).isEqualTo("text");

    assertThat(result.get("ack")).isEqualTo(json(List.of("stored", buffer("fffefd020100"),
        Map.of("sizes", List.of(64 * 1024, 6)))));
    assertThat(result.get("events")).isEqualTo(json(List.of(Map.of("event", "download", "args", List.of(
        buffer("010203"),
        Map.of("file", Map.of("name", "all.bin", "data", buffer(HexFormat.of().formatHex(everyByte)))),
        buffer("cafe"),
        "plain text")))));
  }

  // ---- namespaces and middlewares ------------------------------------------------------------

  @Test
  void namespacesAdmitOrRefuseWithTheMiddlewaresReason() throws Exception {
    server(ServerOptions.builder());
    BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
    Namespace admin = server.namespace("/admin");
    admin.use((socket, next) -> {
      String token = socket.handshake().auth().path("token").asText();
      tokens.add(token);
      if (token.equals("s3cret")) {
        next.proceed();
      } else {
        next.refuse(new ConnectError("unauthorized", Map.of("code", 401, "hint", "check your token")));
      }
    });
    admin.onConnection(NodeClientIT::answerWhoami);
    server.dynamicNamespaces(name -> name.startsWith("/team-"), ns -> ns.onConnection(NodeClientIT::answerWhoami));
    server.start();

    NodeScenario node = node("namespaces.js", "token=s3cret");
    JsonNode admitted = node.expect("admitted");
    JsonNode denied = node.expect("denied");
    JsonNode unknown = node.expect("unknown");
    JsonNode dynamic = node.expect("dynamic");
    JsonNode multiplexed = node.expect("multiplexed");
    node.awaitSuccess();

    assertThat(admitted.get("whoami").asText()).isEqualTo("/admin");
    assertThat(denied.get("message").asText()).isEqualTo("unauthorized");
    assertThat(denied.get("data")).isEqualTo(json(Map.of("code", 401, "hint", "check your token")));
    assertThat(denied.get("active").asBoolean()).as("a refused socket does not retry").isFalse();
    assertThat(unknown.get("message").asText()).isEqualTo("Invalid namespace");
    assertThat(dynamic.get("whoami").asText()).isEqualTo("/team-42");
    assertThat(multiplexed.get("sameConnection").asBoolean()).isTrue();
    assertThat(multiplexed.get("whoami").asText()).isEqualTo("/admin");
    assertThat(multiplexed.get("adminId").asText()).isNotEqualTo(multiplexed.get("mainId").asText());
    List<String> seen = new ArrayList<>();
    tokens.drainTo(seen);
    assertThat(seen).containsExactly("s3cret", "wrong", "s3cret");
  }

  private static void answerWhoami(Socket socket) {
    socket.on("whoami", (args, ack) -> ack.send(socket.namespace().name()));
  }

  // ---- rooms and broadcasts ------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"polling", "websocket"})
  void roomsAndBroadcastsReachTheRightClients(String transport) throws Exception {
    server(ServerOptions.builder());
    CompletableFuture<List<RemoteSocket>> redMembers = new CompletableFuture<>();
    server.sockets().onConnection(socket -> {
      socket.on("join", (args, ack) -> {
        String room = args.text(0).orElseThrow();
        socket.data().put("room", room);
        socket.join(room);
        ack.send();
      });
      socket.on("say", (args, ack) -> {
        socket.to((String) socket.data().get("room")).emit("said", socket.id(), args.get(0));
        ack.send();
      });
      socket.on("shout", (args, ack) -> {
        socket.broadcast().emit("shouted", socket.id(), args.get(0));
        ack.send();
      });
      socket.on("outside", (args, ack) -> {
        server.sockets().except(args.text(0).orElseThrow()).emit("outside", socket.id(), args.get(1));
        ack.send();
      });
      socket.on("finish", (args, ack) -> {
        server.to("red").fetchSockets().whenComplete(into(redMembers));
        server.emit("end");
        ack.send();
      });
    });
    server.start();

    NodeScenario node = node("rooms.js", "rooms=red,red,red,blue,blue", "transport=" + transport);
    List<String> ids = new ArrayList<>();
    node.expect("joined").get("ids").forEach(id -> ids.add(id.asText()));
    List<JsonNode> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clients.add(node.expect("client"));
    }
    node.awaitSuccess();

    Object said = List.of("said", List.of(ids.get(0), "hello room"));
    Object shouted = List.of("shouted", List.of(ids.get(3), "hello all"));
    Object outside = List.of("outside", List.of(ids.get(4), "hello non-blue"));
    Object end = List.of("end", List.of());
    assertThat(received(clients.get(0))).as("red, the sender of 'said'").isEqualTo(json(List.of(shouted, outside, end)));
    assertThat(received(clients.get(1))).as("red").isEqualTo(json(List.of(said, shouted, outside, end)));
    assertThat(received(clients.get(2))).as("red").isEqualTo(json(List.of(said, shouted, outside, end)));
    assertThat(received(clients.get(3))).as("blue, the sender of 'shouted'").isEqualTo(json(List.of(end)));
    assertThat(received(clients.get(4))).as("blue").isEqualTo(json(List.of(shouted, end)));
    assertThat(await(redMembers, "the members of red")).extracting(RemoteSocket::id)
        .containsExactlyInAnyOrder(ids.get(0), ids.get(1), ids.get(2));
  }

  /** A client's events as [[name, args], ...]. */
  private static JsonNode received(JsonNode client) {
    List<Object> events = new ArrayList<>();
    client.get("events").forEach(e -> events.add(List.of(e.get("event").asText(), e.get("args"))));
    return json(events);
  }

  // ---- connection-state recovery -------------------------------------------------------------

  @Test
  void recoveredClientReceivesExactlyTheMissedEventsInOrderOnce() throws Exception {
    server(ServerOptions.builder().recovery(ServerOptions.RecoveryOptions.inMemory(Duration.ofMinutes(2))));
    BlockingQueue<Socket> connections = new LinkedBlockingQueue<>();
    BlockingQueue<DisconnectReason> disconnects = new LinkedBlockingQueue<>();
    server.sockets().onConnection(socket -> {
      handleLobby(socket, disconnects);
      connections.add(socket);
    });
    server.start();

    NodeScenario node = node("recovery.js", "room=lobby", "before=2");
    JsonNode first = node.expect("connected");
    Socket original = poll(connections, "the first connection");
    assertThat(original.recovered()).isFalse();
    assertThat(first.get("recovered").asBoolean()).isFalse();
    assertThat(node.expect("dropped").get("active").asBoolean()).as("the client reconnects by itself").isTrue();
    assertThat(poll(disconnects, "the server to see the transport drop")).isEqualTo(DisconnectReason.TRANSPORT_CLOSE);

    // The client is away: these must be replayed, in this order, once.
    server.to("lobby").emit("ev", Map.of("n", 2, "via", "room"));
    original.emit("ev", Map.of("n", 3, "via", "socket"));
    server.to(original.id()).emit("ev", Map.of("n", 4, "via", "own room"));
    server.to("lobby").emit("ev", Map.of("n", 5, "via", "room", "blob", new byte[] {1, 2, 3}));
    server.emit("ev", Map.of("n", 6, "via", "everyone"));
    // These must not be: volatile events, and events for rooms the client is not in.
    server.to("lobby").asVolatile().emit("volatile", 7);
    original.emitVolatile("volatile", 8);
    server.to("elsewhere").emit("ev", Map.of("n", -1, "via", "another room"));
    node.send("go");

    Socket recovered = poll(connections, "the reconnection");
    JsonNode again = node.expect("reconnected");
    assertThat(recovered.recovered()).isTrue();
    assertThat(recovered.id()).isEqualTo(original.id());
    assertThat(recovered.rooms()).containsExactlyInAnyOrder(original.id(), "lobby");
    assertThat(recovered.data()).containsEntry("user", "alice");
    assertThat(again.get("recovered").asBoolean()).isTrue();
    assertThat(again.get("id").asText()).isEqualTo(first.get("id").asText()).isEqualTo(original.id());

    server.to("lobby").emit("end");
    JsonNode done = node.expect("done");
    node.awaitSuccess();

    assertThat(payloads(done.get("before"))).isEqualTo(json(List.of(
        List.of("ev", Map.of("n", 0, "via", "room")),
        List.of("ev", Map.of("n", 1, "via", "socket")))));
    assertThat(payloads(done.get("after"))).isEqualTo(json(List.of(
        List.of("ev", Map.of("n", 2, "via", "room")),
        List.of("ev", Map.of("n", 3, "via", "socket")),
        List.of("ev", Map.of("n", 4, "via", "own room")),
        List.of("ev", Map.of("n", 5, "via", "room", "blob", buffer("010203"))),
        List.of("ev", Map.of("n", 6, "via", "everyone")),
        List.of("end"))));
    List<String> offsets = new ArrayList<>(offsets(done.get("before")));
    offsets.addAll(offsets(done.get("after")));
    assertThat(offsets).as("one offset per recorded event").hasSize(8).doesNotHaveDuplicates();
  }

  @Test
  void clientIsNotRecoveredAfterTheRecoveryWindow() throws Exception {
    Duration window = Duration.ofSeconds(1);
    MovableClock clock = new MovableClock();
    server(ServerOptions.builder().recovery(
        new ServerOptions.RecoveryOptions(true, window, true, namespace -> new InMemorySessionStore(window, clock))));
    BlockingQueue<Socket> connections = new LinkedBlockingQueue<>();
    BlockingQueue<DisconnectReason> disconnects = new LinkedBlockingQueue<>();
    server.sockets().onConnection(socket -> {
      handleLobby(socket, disconnects);
      connections.add(socket);
    });
    server.start();

    NodeScenario node = node("recovery.js", "room=lobby", "before=2");
    JsonNode first = node.expect("connected");
    Socket original = poll(connections, "the first connection");
    node.expect("dropped");
    assertThat(poll(disconnects, "the server to see the transport drop")).isEqualTo(DisconnectReason.TRANSPORT_CLOSE);

    clock.advance(window.plusSeconds(1));
    server.to("lobby").emit("ev", Map.of("n", 2, "via", "room"));
    original.emit("ev", Map.of("n", 3, "via", "socket"));
    node.send("go");

    Socket fresh = poll(connections, "the reconnection");
    JsonNode again = node.expect("reconnected");
    assertThat(fresh.recovered()).isFalse();
    assertThat(fresh.id()).isNotEqualTo(original.id());
    assertThat(fresh.rooms()).containsExactly(fresh.id());
    assertThat(fresh.data()).isEmpty();
    assertThat(again.get("recovered").asBoolean()).isFalse();
    assertThat(again.get("id").asText()).isEqualTo(fresh.id()).isNotEqualTo(first.get("id").asText());

    server.emit("end");
    JsonNode done = node.expect("done");
    node.awaitSuccess();
    assertThat(payloads(done.get("after"))).as("nothing replayed").isEqualTo(json(List.of(List.of("end"))));
  }

  /** Joins the room named by "join", then sends two events: one to the room, one to the socket. */
  private void handleLobby(Socket socket, BlockingQueue<DisconnectReason> disconnects) {
    socket.onDisconnect(disconnects::add);
    socket.on("join", (args, ack) -> {
      String room = args.text(0).orElseThrow();
      socket.join(room);
      socket.data().put("user", "alice");
      ack.send();
      server.to(room).emit("ev", Map.of("n", 0, "via", "room"));
      socket.emit("ev", Map.of("n", 1, "via", "socket"));
    });
  }

  /**
   * Events as [name, args...] without the offset that the server appends to every event it may
   * replay: the client sees it as a trailing string argument. Fails if one has none.
   */
  private static JsonNode payloads(JsonNode events) {
    List<Object> out = new ArrayList<>();
    for (JsonNode e : events) {
      List<Object> entry = new ArrayList<>();
      entry.add(e.get("event").asText());
      JsonNode args = e.get("args");
      assertThat(args.size()).as("arguments of %s", e).isPositive();
      assertThat(args.get(args.size() - 1).isTextual()).as("trailing offset of %s", e).isTrue();
      for (int i = 0; i < args.size() - 1; i++) {
        entry.add(args.get(i));
      }
      out.add(entry);
    }
    return json(out);
  }

  private static List<String> offsets(JsonNode events) {
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add(e.get("args").get(e.get("args").size() - 1).asText()));
    return out;
  }

  /** The system clock plus an offset the test moves forward, so that time passes without waiting. */
  private static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration by) {
      offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("only UTC");
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void server(ServerOptions.Builder options) {
    server = SocketIoServer.create(options.host("127.0.0.1").port(0).ioThreads(2).build());
  }

  private NodeScenario node(String script, String... params) {
    NodeScenario scenario = NodeScenario.start(script, "http://127.0.0.1:" + server.port(), params);
    scenarios.add(scenario);
    return scenario;
  }

  private static <T> T poll(BlockingQueue<T> queue, String what) throws InterruptedException {
    T value = queue.poll(WAIT.toSeconds(), SECONDS);
    if (value == null) {
      fail("Timed out after " + WAIT.toSeconds() + " s waiting for " + what);
    }
    return value;
  }

  private static <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
    try {
      return future.get(WAIT.toSeconds(), SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("Timed out after " + WAIT.toSeconds() + " s waiting for " + what, e);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed", e.getCause());
    }
  }

  /** Completes {@code target} the way the future it is attached to completes. */
  private static <T> BiConsumer<T, Throwable> into(CompletableFuture<T> target) {
    return (value, error) -> {
      if (error != null) {
        target.completeExceptionally(error);
      } else {
        target.complete(value);
      }
    };
  }

  private static List<String> eventNames(JsonNode events) {
    List<String> names = new ArrayList<>();
    events.forEach(e -> names.add(e.get("event").asText()));
    return names;
  }

  /** How the scenarios print a Buffer. */
  private static Map<String, String> buffer(String hex) {
    return Map.of("$binary", hex, "$kind", "Buffer");
  }

  private static JsonNode json(Object value) {
    return JSON.valueToTree(value);
  }

  private static byte[] reversed(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[bytes.length - 1 - i];
    }
    return out;
  }

  /** What binary.js uploads: byte i is (i * 7 + 3) mod 256. */
  private static byte[] pattern(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 7 + 3);
    }
    return bytes;
  }
}
