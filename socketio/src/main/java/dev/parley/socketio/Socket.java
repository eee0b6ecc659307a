package dev.parley.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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

  /** Rooms this socket is in. Written on the socket's loop; read anywhere. */
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> data = new ConcurrentHashMap<>();
  private final Map<String, EventHandler> handlers = new ConcurrentHashMap<>();
  private final List<AnyEventHandler> anyHandlers = new CopyOnWriteArrayList<>();
  private final List<Consumer<DisconnectReason>> disconnecting = new CopyOnWriteArrayList<>();
  private final List<Consumer<DisconnectReason>> disconnected = new CopyOnWriteArrayList<>();
  /** Acks the client owes this socket, by id. */
  private final Map<Long, PendingAck> pendingAcks = new ConcurrentHashMap<>();
  private final AtomicLong nextAckId = new AtomicLong();
  /** Set once on the loop; read anywhere. */
  private volatile boolean connected;

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
    return Set.copyOf(rooms);
  }

  /** Free-form data attached to the socket; kept through a recovery. Thread-safe. */
  public Map<String, Object> data() {
    return data;
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
    this.rooms.addAll(set);
    namespace.adapter().addAll(this, set);
  }

  /** Leaves {@code room}. */
  public void leave(String room) {
    onLoop(() -> {
      if (rooms.remove(room)) {
        namespace.adapter().del(this, room);
      }
    });
  }

  // ---- handlers ------------------------------------------------------------------------------

  /** Handles the event {@code event}; replaces an earlier handler for it. */
  public Socket on(String event, EventHandler handler) {
    handlers.put(Objects.requireNonNull(event, "event"), Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /** Sees every incoming event before its own handler. */
  public Socket onAny(AnyEventHandler handler) {
    anyHandlers.add(Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /** Runs as the socket is leaving, while it is still in its rooms. */
  public Socket onDisconnecting(Consumer<DisconnectReason> handler) {
    disconnecting.add(Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /** Runs once the socket has left the namespace. */
  public Socket onDisconnect(Consumer<DisconnectReason> handler) {
    disconnected.add(Objects.requireNonNull(handler, "handler"));
    return this;
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
    long ackId = nextAckId.getAndIncrement();
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
    String offset = null;
    if (recordable) {
      offset = store.nextOffset();
    }
    EncodedPacket packet = namespace.encoder().event(namespace.name(), event, args, ackId, offset);
    try {
      if (recordable) {
        store.record(offset, new BroadcastOptions(Set.of(id), Set.of(), false, true), StoredPacket.of(packet));
      }
      packet.writeTo(client.session, volatileEmit);
    } finally {
      packet.release();
    }
  }

  /** Writes a packet encoded for many sockets. On the socket's loop. */
  void write(EncodedPacket packet, boolean volatileEmit) {
    if (connected) {
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

  void onConnected(List<StoredPacket> missed) {
    connected = true;
    joinNow(Set.of(id));
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
    try {
      for (AnyEventHandler any : anyHandlers) {
        any.handle(event, args);
      }
      EventHandler handler = handlers.get(event);
      if (handler != null) {
        handler.handle(args, ack);
      }
    } catch (RuntimeException e) {
      log.error("handler of '{}' failed on socket {} of {}; disconnecting it", event, id, namespace.name(), e);
      disconnect(false);
    }
  }

  private void onAck(SioPacket packet) {
    PendingAck pending = pendingAcks.remove(packet.id());
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
    for (Consumer<DisconnectReason> handler : disconnecting) {
      runQuietly(handler, reason);
    }
    connected = false;
    SessionStore store = namespace.store();
    if (store != null && reason.recoverable()) {
      store.persist(new PersistedSession(id, pid, Set.copyOf(rooms), Map.copyOf(data), java.time.Instant.now()));
    }
    namespace.adapter().delAll(this);
    rooms.clear();
    namespace.remove(this);
    client.remove(this);
    for (PendingAck pending : pendingAcks.values()) {
      pending.fail(new SocketIoException("socket disconnected: " + reason.wireName()));
    }
    pendingAcks.clear();
    for (Consumer<DisconnectReason> handler : disconnected) {
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
