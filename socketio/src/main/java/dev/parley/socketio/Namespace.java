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

  Namespace(String name, SocketIoServer server) {
    this.name = name;
    this.server = server;
    this.encoder = server.encoder();
    ServerOptions.RecoveryOptions recovery = server.options().recovery();
    this.store = recovery.enabled() ? recovery.storeFactory().get() : null;
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

  /** Encodes a broadcast once, with a recovery offset when it may be replayed. */
  EncodedPacket encodeBroadcast(EventPacket event, BroadcastOptions options) {
    if (store == null || options.volatileEmit()) {
      return encoder.event(name, event.event(), event.args(), -1, null);
    }
    String offset = store.nextOffset();
    EncodedPacket packet = encoder.event(name, event.event(), event.args(), -1, offset);
    store.record(offset, options, StoredPacket.of(packet));
    return packet;
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
                admit(client, socket, r.session().rooms(), r.missed());
              } else {
                runMiddlewares(client, socket, 0, r.session().rooms(), r.missed());
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
    runMiddlewares(client, socket, 0, Set.of(), List.of());
  }

  private void runMiddlewares(Client client, Socket socket, int index, Set<String> rooms,
      List<StoredPacket> missed) {
    if (index == middlewares.size()) {
      admit(client, socket, rooms, missed);
      return;
    }
    Middleware middleware = middlewares.get(index);
    Middleware.Next next = new Middleware.Next() {
      private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

      @Override
      public void proceed() {
        if (done.compareAndSet(false, true)) {
          onLoop(client, () -> runMiddlewares(client, socket, index + 1, rooms, missed));
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

  private void admit(Client client, Socket socket, Set<String> rooms, List<StoredPacket> missed) {
    if (!client.session.isOpen()) {
      return;
    }
    sockets.put(socket.id(), socket);
    client.add(socket);
    socket.onConnected(missed);
    if (!rooms.isEmpty()) {
      socket.joinNow(rooms);
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
