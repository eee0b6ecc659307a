package dev.parley.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's connection to one namespace.
 *
 * <p>Lifecycle: created when the client asks to join the namespace; the namespace's middlewares
 * run; then it is connected ({@link Namespace#onConnection} handlers run) until the client or the
 * server disconnects it, or the connection drops. Each socket is in the room named by its id.
 *
 * <p>Threading: each socket belongs to one event loop, where its event handlers run. Every public
 * method may be called from any thread; work that touches the socket's state hops to its loop.
 */
public final class Socket {
  private static final Logger log = LoggerFactory.getLogger(Socket.class);
  private static final Set<String> RESERVED =
      Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

  private final Namespace namespace;
  private final Client client;
  private final String id;
  private final String pid;
  private final Handshake handshake;
  private final boolean recovered;

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<Socket, Map> DATA =
      AtomicReferenceFieldUpdater.newUpdater(Socket.class, Map.class, "data");
  private static final AtomicReferenceFieldUpdater<Socket, Listeners> LISTENERS =
      AtomicReferenceFieldUpdater.newUpdater(Socket.class, Listeners.class, "listeners");
  private static final AtomicReferenceFieldUpdater<Socket, Acks> ACKS =
      AtomicReferenceFieldUpdater.newUpdater(Socket.class, Acks.class, "acks");

  // A server holds a socket per connection: what most sockets never use is made on first use,
  // and what rarely changes is an immutable value replaced whole.

  /** Rooms this socket is in; an immutable set, replaced on the socket's loop; read anywhere. */
  private volatile Set<String> rooms = Set.of();
  /** Null until {@link #data()} is first called; then set once. */
  private volatile Map<String, Object> data;
  /** The handlers; an immutable value, replaced by compare-and-set from any thread. */
  private volatile Listeners listeners = Listeners.NONE;
  /** Null until the server first asks the client for an acknowledgement; then set once. */
  private volatile Acks acks;
  /** Set once on the loop; read anywhere. */
  private volatile boolean connected;
  /**
   * On the socket's loop. For a restored socket, the order of the last recorded packet it was
   * given back: queued deliveries of those packets are skipped, so it gets each once.
   */
  private long replayedUpTo;

  Socket(Namespace namespace, Client client, String id, String pid, Handshake handshake, boolean recovered) {
    this.namespace = namespace;
    this.client = client;
    this.id = id;
    this.pid = pid;
    this.handshake = handshake;
    this.recovered = recovered;
  }

  /** The socket's id, unique on the server, and the name of its own room. */
  public String id() {
    return id;
  }

  /** The namespace this socket is connected to. */
  public Namespace namespace() {
    return namespace;
  }

  /** What the client presented when it connected. */
  public Handshake handshake() {
    return handshake;
  }

  /** Whether this socket got back a previous session's id, rooms and data on reconnection. */
  public boolean recovered() {
    return recovered;
  }

  /** Whether the socket is connected now. */
  public boolean connected() {
    return connected;
  }

  /** The current transport: {@code "polling"} or {@code "websocket"}. */
  public String transport() {
    return client.session.transport().wireName();
  }

  /** A snapshot of the rooms this socket is in, its own included. */
  public Set<String> rooms() {
    return rooms;
  }

  /** Free-form data attached to the socket; kept through a recovery. Thread-safe. */
  public Map<String, Object> data() {
    Map<String, Object> map = data;
    if (map == null) {
      DATA.compareAndSet(this, null, new ConcurrentHashMap<String, Object>());
      map = data;
    }
    return map;
  }

  EventLoop loop() {
    return client.session.loop;
  }

  Client client() {
    return client;
  }

  String pid() {
    return pid;
  }

  Set<String> liveRooms() {
    return rooms;
  }

  // ---- rooms ---------------------------------------------------------------------------------

  /** Joins {@code rooms}. */
  public void join(String... rooms) {
    Set<String> set = Set.of(rooms);
    onLoop(() -> {
      if (connected) {
        joinNow(set);
      }
    });
  }

  void joinNow(Set<String> set) {
    if (!rooms.containsAll(set)) {
      Set<String> joined = new HashSet<>(rooms);
      joined.addAll(set);
      rooms = Set.copyOf(joined);
    }
    namespace.adapter().addAll(this, set);
  }

  /** Leaves {@code room}. */
  public void leave(String room) {
    onLoop(() -> {
      if (rooms.contains(room)) {
        Set<String> left = new HashSet<>(rooms);
        left.remove(room);
        rooms = Set.copyOf(left);
        namespace.adapter().del(this, room);
      }
    });
  }

  // ---- handlers ------------------------------------------------------------------------------

  /** Handles the event {@code event}; replaces an earlier handler for it. */
  public Socket on(String event, EventHandler handler) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(handler, "handler");
    updateListeners(l -> l.withEvent(event, handler));
    return this;
  }

  /** Sees every incoming event before its own handler. */
  public Socket onAny(AnyEventHandler handler) {
    Objects.requireNonNull(handler, "handler");
    updateListeners(l -> new Listeners(l.events, append(l.any, handler), l.disconnecting, l.disconnected));
    return this;
  }

  /** Runs as the socket is leaving, while it is still in its rooms. */
  public Socket onDisconnecting(Consumer<DisconnectReason> handler) {
    Objects.requireNonNull(handler, "handler");
    updateListeners(l -> new Listeners(l.events, l.any, append(l.disconnecting, handler), l.disconnected));
    return this;
  }

  /** Runs once the socket has left the namespace. */
  public Socket onDisconnect(Consumer<DisconnectReason> handler) {
    Objects.requireNonNull(handler, "handler");
    updateListeners(l -> new Listeners(l.events, l.any, l.disconnecting, append(l.disconnected, handler)));
    return this;
  }

  private void updateListeners(UnaryOperator<Listeners> change) {
    Listeners current;
    do {
      current = listeners;
    } while (!LISTENERS.compareAndSet(this, current, change.apply(current)));
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> longer = new ArrayList<>(list.size() + 1);
    longer.addAll(list);
    longer.add(item);
    return List.copyOf(longer);
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Sends an event to this client. With connection-state recovery on, an event sent while the
   * client's connection is down is kept and delivered when the client recovers its session.
   */
  public void emit(String event, Object... args) {
    emit(event, Arrays.asList(args), -1, false);
  }

  /** Sends an event that may be dropped if the client cannot take it now; never replayed. */
  public void emitVolatile(String event, Object... args) {
    emit(event, Arrays.asList(args), -1, true);
  }

  /**
   * Sends an event and waits for the client's acknowledgement. The future fails with a
   * {@link SocketIoException} if the socket disconnects first.
   */
  public CompletableFuture<Args> emitWithAck(String event, Object... args) {
    return emitWithAck(null, event, args);
  }

  /** Like {@link #emitWithAck(String, Object...)}, failing with a {@link TimeoutException} after {@code timeout}. */
  public CompletableFuture<Args> emitWithAck(Duration timeout, String event, Object... args) {
    Acks acks = acks();
    long ackId = acks.nextId.getAndIncrement();
    Map<Long, PendingAck> pendingAcks = acks.pending;
    PendingAck pending = new PendingAck(new CompletableFuture<>());
    pendingAcks.put(ackId, pending);
    if (timeout != null) {
      pending.timer = loop().schedule(() -> {
        if (pendingAcks.remove(ackId) != null) {
          pending.future.completeExceptionally(
              new TimeoutException("no acknowledgement of '" + event + "' within " + timeout.toMillis() + " ms"));
        }
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    emit(event, Arrays.asList(args), ackId, false);
    if (!connected && pendingAcks.remove(ackId) != null) {
      pending.fail(new SocketIoException("socket is not connected"));
    }
    return pending.future;
  }

  private void emit(String event, List<Object> args, long ackId, boolean volatileEmit) {
    if (RESERVED.contains(event)) {
      throw new IllegalArgumentException("'" + event + "' is a reserved event name");
    }
    SessionStore store = namespace.store();
    boolean recordable = store != null && ackId < 0 && !volatileEmit;
    if (!connected) {
      if (recordable) {
        // As in Node.js Socket.IO: with recovery on, an event for a socket whose connection dropped
        // is kept for replay, and reaches the socket that holds this id again once it recovers.
        namespace.adapter().broadcast(new EventPacket(event, args),
            new BroadcastOptions(Set.of(id), Set.of(), false, false));
      }
      return;
    }
    if (recordable) {
      // Queued, never written at once, so that it keeps its offset's place (Namespace#record).
      namespace.record(new EventPacket(event, args), new BroadcastOptions(Set.of(id), Set.of(), false, true),
          packet -> {
            packet.retain();
            client.session.loop.execute(() -> {
              try {
                write(packet, false);
              } finally {
                packet.release();
              }
            });
          });
      return;
    }
    EncodedPacket packet = namespace.encoder().event(namespace.name(), event, args, ackId, null);
    try {
      packet.writeTo(client.session, volatileEmit);
    } finally {
      packet.release();
    }
  }

  /** Writes a packet encoded for many sockets. On the socket's loop. */
  void write(EncodedPacket packet, boolean volatileEmit) {
    if (connected && (packet.order == 0 || packet.order > replayedUpTo)) {
      packet.writeTo(client.session, volatileEmit);
    }
  }

  // ---- broadcasting from this socket ---------------------------------------------------------

  /** Everyone in the namespace but this socket. */
  public BroadcastOperator broadcast() {
    return namespace.except(id);
  }

  /** Everyone in {@code rooms} but this socket. */
  public BroadcastOperator to(String... rooms) {
    return namespace.to(rooms).except(id);
  }

  // ---- disconnecting -------------------------------------------------------------------------

  /**
   * Disconnects the socket from its namespace (the client is told, and does not reconnect by
   * itself). With {@code close}, the whole connection is closed too.
   */
  public void disconnect(boolean close) {
    onLoop(() -> {
      if (!connected) {
        return;
      }
      client.writeControl(SioPacket.DISCONNECT, namespace.name(), null);
      onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
      if (close) {
        client.session.close(DisconnectReason.FORCED_SERVER_CLOSE);
      }
    });
  }

  // ---- inbound -------------------------------------------------------------------------------

  /**
   * Connects: joins its own room and {@code rooms}, answers CONNECT and writes the packets it
   * missed, skipping later deliveries of recorded packets up to {@code replayedUpTo}. On the
   * socket's loop.
   */
  void onConnected(List<StoredPacket> missed, Set<String> rooms, long replayedUpTo) {
    connected = true;
    this.replayedUpTo = replayedUpTo;
    joinNow(Set.of(id));
    if (!rooms.isEmpty()) {
      joinNow(rooms);
    }
    java.util.Map<String, Object> reply = new java.util.LinkedHashMap<>();
    reply.put("sid", id);
    if (pid != null) {
      reply.put("pid", pid);
    }
    client.writeControl(SioPacket.CONNECT, namespace.name(), reply);
    for (StoredPacket packet : missed) {
      EncodedPacket encoded = packet.toEncoded();
      try {
        encoded.writeTo(client.session, false);
      } finally {
        encoded.release();
      }
    }
  }

  /** A packet for this socket's namespace. On the socket's loop. */
  void onPacket(SioPacket packet) {
    switch (packet.type()) {
      case SioPacket.EVENT, SioPacket.BINARY_EVENT -> onEvent(packet);
      case SioPacket.ACK, SioPacket.BINARY_ACK -> onAck(packet);
      case SioPacket.DISCONNECT -> onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
      default -> client.session.close(DisconnectReason.PARSE_ERROR);
    }
  }

  private void onEvent(SioPacket packet) {
    ArrayNode array = (ArrayNode) packet.data();
    JsonNode name = array.get(0);
    String event = name.isTextual() ? name.textValue() : name.asText();
    Args args = Args.of(array, 1, namespace.server().options().mapper());
    Ack ack = packet.hasId() ? new ClientAck(packet.id()) : NoAck.INSTANCE;
    Listeners l = listeners;
    try {
      for (AnyEventHandler any : l.any) {
        any.handle(event, args);
      }
      EventHandler handler = l.events.get(event);
      if (handler != null) {
        handler.handle(args, ack);
      }
    } catch (RuntimeException e) {
      log.error("handler of '{}' failed on socket {} of {}; disconnecting it", event, id, namespace.name(), e);
      disconnect(false);
    }
  }

  private void onAck(SioPacket packet) {
    Acks acks = this.acks;
    PendingAck pending = acks == null ? null : acks.pending.remove(packet.id());
    if (pending == null) {
      return;
    }
    if (pending.timer != null) {
      pending.timer.cancel(false);
    }
    pending.future.complete(Args.of((ArrayNode) packet.data(), 0, namespace.server().options().mapper()));
  }

  /** Leaves the namespace. On the socket's loop; idempotent. */
  void onClose(DisconnectReason reason) {
    if (!connected) {
      return;
    }
    for (Consumer<DisconnectReason> handler : listeners.disconnecting) {
      runQuietly(handler, reason);
    }
    connected = false;
    SessionStore store = namespace.store();
    if (store != null && reason.recoverable()) {
      Map<String, Object> saved = data == null ? Map.of() : Map.copyOf(data);
      store.persist(new PersistedSession(id, pid, rooms, saved, java.time.Instant.now()));
    } else if (store != null && pid != null) {
      store.discard(pid);
    }
    namespace.adapter().delAll(this);
    rooms = Set.of();
    namespace.remove(this);
    client.remove(this);
    Acks acks = this.acks;
    if (acks != null) {
      for (PendingAck pending : acks.pending.values()) {
        pending.fail(new SocketIoException("socket disconnected: " + reason.wireName()));
      }
      acks.pending.clear();
    }
    for (Consumer<DisconnectReason> handler : listeners.disconnected) {
      runQuietly(handler, reason);
    }
  }

  private void runQuietly(Consumer<DisconnectReason> handler, DisconnectReason reason) {
    try {
      handler.accept(reason);
    } catch (RuntimeException e) {
      log.error("disconnect handler failed on socket {}", id, e);
    }
  }

  private void onLoop(Runnable task) {
    if (loop().inEventLoop()) {
      task.run();
    } else {
      loop().execute(task);
    }
  }

  @Override
  public String toString() {
    return "Socket[" + namespace.name() + " " + id + "]";
  }

  private Acks acks() {
    Acks a = acks;
    if (a == null) {
      ACKS.compareAndSet(this, null, new Acks());
      a = acks;
    }
    return a;
  }

  /** The handlers of a socket: replaced whole when one is added, so reading them takes no lock. */
  private record Listeners(Map<String, EventHandler> events, List<AnyEventHandler> any,
      List<Consumer<DisconnectReason>> disconnecting, List<Consumer<DisconnectReason>> disconnected) {
    static final Listeners NONE = new Listeners(Map.of(), List.of(), List.of(), List.of());

    Listeners withEvent(String event, EventHandler handler) {
      Map<String, EventHandler> more = new HashMap<>(events);
      more.put(event, handler);
      return new Listeners(Map.copyOf(more), any, disconnecting, disconnected);
    }
  }

  /** The acknowledgements this socket awaits from its client. */
  private static final class Acks {
    final AtomicLong nextId = new AtomicLong();
    /** By ack id. */
    final Map<Long, PendingAck> pending = new ConcurrentHashMap<>();
  }

  private static final class PendingAck {
    final CompletableFuture<Args> future;
    ScheduledFuture<?> timer;

    PendingAck(CompletableFuture<Args> future) {
      this.future = future;
    }

    void fail(Throwable cause) {
      if (timer != null) {
        timer.cancel(false);
      }
      future.completeExceptionally(cause);
    }
  }

  private final class ClientAck implements Ack {
    private final long ackId;
    private final AtomicBoolean sent = new AtomicBoolean();

    ClientAck(long ackId) {
      this.ackId = ackId;
    }

    @Override
    public void send(Object... args) {
      if (!sent.compareAndSet(false, true) || !connected) {
        return;
      }
      EncodedPacket packet = namespace.encoder().ack(namespace.name(), ackId, Arrays.asList(args));
      try {
        packet.writeTo(client.session, false);
      } finally {
        packet.release();
      }
    }

    @Override
    public boolean requested() {
      return true;
    }
  }

  private enum NoAck implements Ack {
    INSTANCE;

    @Override
    public void send(Object... args) {}

    @Override
    public boolean requested() {
      return false;
    }
  }
}
