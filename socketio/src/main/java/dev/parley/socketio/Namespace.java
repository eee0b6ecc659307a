package dev.parley.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named channel of a server ({@code "/"}, {@code "/chat"}, …) with its own middlewares,
 * connection handlers, rooms and sockets. Obtain one with {@link SocketIoServer#namespace(String)}.
 * Thread-safe.
 *
 * <pre>{@code
 * Namespace chat = server.namespace("/chat");
 * chat.use((socket, next) -> tokenOk(socket.handshake().auth()) ? next.proceed()
 *     : next.refuse(ConnectError.of("unauthorized")));
 * chat.onConnection(socket -> socket.on("message", (args, ack) ->
 *     chat.to("lobby").emit("message", args.get(0))));
 * }</pre>
 */
public final class Namespace {
  private static final Logger log = LoggerFactory.getLogger(Namespace.class);

  private final String name;
  private final SocketIoServer server;
  private final Adapter adapter;
  private final SessionStore store;
  private final SioEncoder encoder;
  private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
  private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
  private final Map<String, BiConsumer<Args, Ack>> serverSideHandlers = new ConcurrentHashMap<>();
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
  /** Held while a packet is recorded and queued, and while a restored socket joins its rooms. */
  private final Object recordLock = new Object();
  /** Guarded by recordLock. How many packets were recorded; the order of the last one. */
  private long recorded;

  Namespace(String name, SocketIoServer server) {
    this.name = name;
    this.server = server;
    this.encoder = server.encoder();
    ServerOptions.RecoveryOptions recovery = server.options().recovery();
    this.store = recovery.enabled() ? recovery.storeFactory().apply(name) : null;
    this.adapter = server.options().adapterFactory().apply(this);
  }

  /** The namespace's name, starting with {@code /}. */
  public String name() {
    return name;
  }

  /** The server this namespace belongs to. */
  public SocketIoServer server() {
    return server;
  }

  /** The adapter that holds this namespace's rooms. */
  public Adapter adapter() {
    return adapter;
  }

  /** Adds a middleware; it runs for every socket that connects from now on. */
  public Namespace use(Middleware middleware) {
    middlewares.add(Objects.requireNonNull(middleware, "middleware"));
    return this;
  }

  /** Runs {@code handler} for every socket that connects (recovered ones included). */
  public Namespace onConnection(Consumer<Socket> handler) {
    connectionHandlers.add(Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /** Handles events that other servers of a cluster send with {@link Adapter#serverSideEmit}. */
  public Namespace onServerSideEvent(String event, BiConsumer<Args, Ack> handler) {
    serverSideHandlers.put(event, handler);
    return this;
  }

  /** The sockets connected to this namespace on this server, by id. A live, read-only view. */
  public Map<String, Socket> sockets() {
    return Collections.unmodifiableMap(sockets);
  }

  /** A socket of this server by id. */
  public Optional<Socket> socket(String id) {
    return Optional.ofNullable(sockets.get(id));
  }

  // ---- broadcasting --------------------------------------------------------------------------

  /** The sockets in {@code rooms}. */
  public BroadcastOperator to(String... rooms) {
    return new BroadcastOperator(this, BroadcastOptions.ALL).to(rooms);
  }

  /** Same as {@link #to}. */
  public BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  /** Every socket but those in {@code rooms}. */
  public BroadcastOperator except(String... rooms) {
    return new BroadcastOperator(this, BroadcastOptions.ALL).except(rooms);
  }

  /** Every socket, with volatile events. */
  public BroadcastOperator asVolatile() {
    return new BroadcastOperator(this, BroadcastOptions.ALL).asVolatile();
  }

  /** Every socket of this server only. */
  public BroadcastOperator local() {
    return new BroadcastOperator(this, BroadcastOptions.ALL).local();
  }

  /** Sends an event to every socket of the namespace. */
  public void emit(String event, Object... args) {
    adapter.broadcast(EventPacket.of(event, args), BroadcastOptions.ALL);
  }

  /** Every socket of the namespace. */
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return adapter.fetchSockets(BroadcastOptions.ALL);
  }

  /** Makes every socket join {@code rooms}. */
  public void socketsJoin(String... rooms) {
    adapter.addSockets(BroadcastOptions.ALL, Set.of(rooms));
  }

  /** Makes every socket leave {@code rooms}. */
  public void socketsLeave(String... rooms) {
    adapter.delSockets(BroadcastOptions.ALL, Set.of(rooms));
  }

  /** Disconnects every socket; with {@code close}, their whole connections too. */
  public void disconnectSockets(boolean close) {
    adapter.disconnectSockets(BroadcastOptions.ALL, close);
  }

  /** Sends an event to the other servers of a cluster. */
  public void serverSideEmit(String event, Object... args) {
    adapter.serverSideEmit(EventPacket.of(event, args));
  }

  // ---- internals -----------------------------------------------------------------------------

  SioEncoder encoder() {
    return encoder;
  }

  /** Null when recovery is off. */
  SessionStore store() {
    return store;
  }

  /** Whether a broadcast with {@code options} is recorded for replay on recovery. */
  boolean records(BroadcastOptions options) {
    return store != null && !options.volatileEmit();
  }

  /** Encodes a broadcast that is not recorded. */
  EncodedPacket encode(EventPacket event) {
    return encoder.event(name, event.event(), event.args(), -1, null);
  }

  /**
   * Reserves the offset of a packet, encodes it, records it and hands it to {@code send}, which
   * must queue it (not write it) on the loops of its recipients; the packet is released after.
   *
   * <p>Offsets, records and queueing happen under one lock, so every loop's queue holds the
   * recorded packets in offset order, whichever threads sent them. Without that a packet sent
   * from one thread could reach a socket before another with a lower offset sent from another
   * thread; a client that disconnects in between presents the higher offset, and the store
   * would not replay the lower one. The lock also lets a restored socket join its rooms at a
   * point where the store holds every packet before it and none after it is written yet (see
   * {@link #admit}).
   */
  void record(EventPacket event, BroadcastOptions options, Consumer<EncodedPacket> send) {
    synchronized (recordLock) {
      String offset = store.nextOffset(event);
      EncodedPacket packet = encoder.event(name, event.event(), event.args(), -1, offset);
      try {
        packet.order = ++recorded;
        store.record(offset, options, StoredPacket.of(packet));
        send.accept(packet);
      } finally {
        packet.release();
      }
    }
  }

  /** Delivers an event that another server sent with {@link #serverSideEmit}. */
  public void receiveServerSideEvent(String event, Args args, Ack ack) {
    BiConsumer<Args, Ack> handler = serverSideHandlers.get(event);
    if (handler != null) {
      handler.accept(args, ack);
    }
  }

  /** A client asks to join: recover its session or run the middlewares. On the client's loop. */
  void connect(Client client, ObjectNode auth) {
    Handshake handshake = client.handshake(auth);
    JsonNode pid = auth.get("pid");
    JsonNode offset = auth.get("offset");
    if (store != null && pid != null && pid.isTextual() && offset != null && offset.isTextual()) {
      store.restore(pid.textValue(), offset.textValue()).whenComplete((restored, error) ->
          client.session.loop.execute(() -> {
            if (error != null) {
              log.warn("cannot restore session of namespace {}", name, error);
            }
            if (error == null && restored.isPresent()) {
              RecoveredSession r = restored.get();
              Socket socket = new Socket(this, client, r.session().sid(), r.session().pid(), handshake, true);
              socket.data().putAll(r.session().data());
              if (server.options().recovery().skipMiddlewares()) {
                admit(client, socket, r);
              } else {
                runMiddlewares(client, socket, 0, r);
              }
            } else {
              fresh(client, handshake);
            }
          }));
      return;
    }
    fresh(client, handshake);
  }

  private void fresh(Client client, Handshake handshake) {
    Socket socket = new Socket(this, client, EngineServer.newId(), store != null ? EngineServer.newId() : null,
        handshake, false);
    runMiddlewares(client, socket, 0, null);
  }

  /** Runs the middlewares from {@code index}, then admits; {@code restored} null for a new session. */
  private void runMiddlewares(Client client, Socket socket, int index, RecoveredSession restored) {
    if (index == middlewares.size()) {
      admit(client, socket, restored);
      return;
    }
    Middleware middleware = middlewares.get(index);
    Middleware.Next next = new Middleware.Next() {
      private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

      @Override
      public void proceed() {
        if (done.compareAndSet(false, true)) {
          onLoop(client, () -> runMiddlewares(client, socket, index + 1, restored));
        }
      }

      @Override
      public void refuse(ConnectError error) {
        if (done.compareAndSet(false, true)) {
          onLoop(client, () -> client.refuse(name, error));
        }
      }
    };
    try {
      middleware.handle(socket, next);
    } catch (RuntimeException e) {
      log.error("middleware of namespace {} failed", name, e);
      next.refuse(ConnectError.of("server error"));
    }
  }

  private static void onLoop(Client client, Runnable task) {
    if (client.session.loop.inEventLoop()) {
      task.run();
    } else {
      client.session.loop.execute(task);
    }
  }

  private void admit(Client client, Socket socket, RecoveredSession restored) {
    if (!client.session.isOpen()) {
      return;
    }
    sockets.put(socket.id(), socket);
    client.add(socket);
    if (restored == null) {
      socket.onConnected(List.of(), Set.of(), 0);
    } else {
      // Under the record lock the store holds every packet recorded so far and no other is
      // queued: what it recorded since the restore is added to what the restore found, the
      // socket joins its rooms, and deliveries already queued for packets it got back are
      // skipped. Nothing is missed or given twice, however long the restore took.
      synchronized (recordLock) {
        List<StoredPacket> missed = restored.missed();
        if (restored.upTo() != null) {
          List<StoredPacket> since = store.since(restored.upTo(), restored.session().rooms());
          if (!since.isEmpty()) {
            missed = new java.util.ArrayList<>(missed);
            missed.addAll(since);
          }
        }
        socket.onConnected(missed, restored.session().rooms(), recorded);
      }
    }
    if (store != null && socket.pid() != null) {
      store.connected(socket.id(), socket.pid(), socket.data());
    }
    for (Consumer<Socket> handler : connectionHandlers) {
      try {
        handler.accept(socket);
      } catch (RuntimeException e) {
        log.error("connection handler of namespace {} failed", name, e);
      }
    }
  }

  void remove(Socket socket) {
    sockets.remove(socket.id(), socket);
  }

  @Override
  public String toString() {
    return "Namespace[" + name + "]";
  }
}
