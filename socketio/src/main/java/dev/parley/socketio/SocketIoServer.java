package dev.parley.socketio;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Socket.IO server: Engine.IO v4 (long-polling, WebSocket and the upgrade between them) and
 * Socket.IO v5 (namespaces, rooms, acknowledgements, binary, connection-state recovery) on Netty,
 * compatible with the official Socket.IO clients.
 *
 * <pre>{@code
 * SocketIoServer server = SocketIoServer.create(ServerOptions.builder().port(3000).build());
 * server.namespace("/").onConnection(socket ->
 *     socket.on("chat message", (args, ack) -> server.namespace("/").emit("chat message", args.get(0))));
 * server.start();
 * }</pre>
 *
 * <p>Lifecycle: created → {@link #start()} (bound, serving) → {@link #close()} (every client
 * told "server shutting down", event loops stopped). Thread-safe.
 */
public final class SocketIoServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SocketIoServer.class);

  private final ServerOptions options;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Class<? extends ServerChannel> channelType;
  private final EngineServer engine;
  private final SioEncoder encoder;
  private final SioDecoder decoder;
  private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
  private final List<DynamicNamespaces> dynamic = new CopyOnWriteArrayList<>();
  /** Set once by start(); null before. */
  private volatile Channel serverChannel;

  private record DynamicNamespaces(Predicate<String> matcher, Consumer<Namespace> setup) {}

  private SocketIoServer(ServerOptions options) {
    this.options = options;
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    this.boss = new MultiThreadIoEventLoopGroup(1, io);
    this.workers = new MultiThreadIoEventLoopGroup(options.ioThreads(), io);
    this.engine = new EngineServer(options, session -> new Client(this, session));
    this.encoder = new SioEncoder(options.mapper(), PooledByteBufAllocator.DEFAULT);
    this.decoder = new SioDecoder(options.mapper(), Client.MAX_ATTACHMENTS);
    namespace("/");
  }

  /** A server with {@code options}, not yet listening. */
  public static SocketIoServer create(ServerOptions options) {
    return new SocketIoServer(Objects.requireNonNull(options, "options"));
  }

  /** The server's settings. */
  public ServerOptions options() {
    return options;
  }

  /** The namespace {@code name}, created on first use. */
  public Namespace namespace(String name) {
    if (!name.startsWith("/")) {
      throw new IllegalArgumentException("namespace name must start with '/': " + name);
    }
    return namespaces.computeIfAbsent(name, n -> new Namespace(n, this));
  }

  /** The main namespace, {@code "/"}. */
  public Namespace sockets() {
    return namespace("/");
  }

  /**
   * Accepts clients into namespaces created on demand: when a client asks for a namespace that
   * does not exist and {@code matcher} accepts its name, it is created and given to {@code setup}
   * before the client joins.
   */
  public SocketIoServer dynamicNamespaces(Predicate<String> matcher, Consumer<Namespace> setup) {
    dynamic.add(new DynamicNamespaces(matcher, setup));
    return this;
  }

  /** Every socket of the main namespace in {@code rooms}. */
  public BroadcastOperator to(String... rooms) {
    return sockets().to(rooms);
  }

  /** Sends an event to every socket of the main namespace. */
  public void emit(String event, Object... args) {
    sockets().emit(event, args);
  }

  /**
   * Binds the port and starts serving; returns once bound.
   *
   * @throws SocketIoException if the port cannot be bound
   */
  public SocketIoServer start() {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // One allocator for all connections (each still gets its own handle), not one each.
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(options.writeBufferLowWaterMark(), options.writeBufferHighWaterMark()))
        .childHandler(new ServerInitializer(engine));
    try {
      serverChannel = bootstrap.bind(options.host(), options.port()).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SocketIoException("interrupted while binding port " + options.port(), e);
    } catch (Exception e) {
      close();
      throw new SocketIoException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
    }
    log.info("Socket.IO server listening on {}:{}{} ({}{})", options.host(), port(), options.path(),
        channelType.getSimpleName(), options.tls().isPresent() ? ", TLS" : "");
    return this;
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    Channel ch = serverChannel;
    if (ch == null) {
      throw new IllegalStateException("server not started");
    }
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  /** Number of open Engine.IO sessions. */
  public int connectionCount() {
    return engine.sessionCount();
  }

  /** Stops accepting new connections; the open ones go on. */
  public void stopAccepting() {
    Channel ch = serverChannel;
    if (ch != null) {
      ch.close().syncUninterruptibly();
    }
  }

  /**
   * Stops accepting, tells every client the server is shutting down, closes their connections and
   * stops the event loops. Idempotent.
   */
  @Override
  public void close() {
    stopAccepting();
    List<io.netty.util.concurrent.Future<?>> closing = new ArrayList<>();
    for (EngineSession session : engine.sessions()) {
      closing.add(session.loop.submit(() -> session.close(DisconnectReason.SERVER_SHUTTING_DOWN)));
    }
    for (io.netty.util.concurrent.Future<?> f : closing) {
      f.awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    for (Namespace namespace : namespaces.values()) {
      namespace.adapter().close();
      if (namespace.store() != null) {
        namespace.store().close();
      }
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  // ---- internals -----------------------------------------------------------------------------

  EventLoopGroup workers() {
    return workers;
  }

  SioEncoder encoder() {
    return encoder;
  }

  SioDecoder decoder() {
    return decoder;
  }

  /** The namespace {@code name}, existing or created by a dynamic matcher. */
  Optional<Namespace> lookup(String name) {
    Namespace existing = namespaces.get(name);
    if (existing != null) {
      return Optional.of(existing);
    }
    for (DynamicNamespaces d : dynamic) {
      if (d.matcher().test(name)) {
        boolean[] created = new boolean[1];
        Namespace ns = namespaces.computeIfAbsent(name, n -> {
          created[0] = true;
          return new Namespace(n, this);
        });
        if (created[0]) {
          d.setup().accept(ns);
        }
        return Optional.of(ns);
      }
    }
    return Optional.empty();
  }
}
