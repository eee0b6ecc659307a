package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Opens generator connections to one server: epoll when available, NIO otherwise; each socket
 * bound to the next of the {@link SourceAddresses} before it connects, so that the clients are
 * not limited by the ephemeral ports of a single address.
 */
public final class ClientPool implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 30_000;

  private final InetSocketAddress server;
  private final WebSocketClientProtocolConfig webSocket;
  private final SourceAddresses sources;
  private final ClientListener listener;
  private final IntFunction<NamespaceSession> sessions;
  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelType;
  private final PacketParser parser = new PacketParser(new ObjectMapper());
  /** Index of the next client opened. Any thread. */
  private final AtomicInteger nextIndex = new AtomicInteger();

  /** Clients of the main namespace without auth. */
  public ClientPool(InetSocketAddress server, SourceAddresses sources, int ioThreads, ClientListener listener) {
    this(server, sources, ioThreads, listener, i -> NamespaceSession.main());
  }

  /**
   * Clients whose namespace and auth come from {@code sessions}, called with each new client's
   * index.
   */
  public ClientPool(InetSocketAddress server, SourceAddresses sources, int ioThreads, ClientListener listener,
      IntFunction<NamespaceSession> sessions) {
    if (ioThreads <= 0) {
      throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
    }
    this.server = server;
    this.sources = sources;
    this.listener = listener;
    this.sessions = sessions;
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(ioThreads, io);
    this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    URI uri = URI.create("ws://" + server.getHostString() + ":" + server.getPort()
        + "/socket.io/?EIO=4&transport=websocket");
    this.webSocket = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .version(WebSocketVersion.V13)
        .allowExtensions(false)
        .maxFramePayloadLength(1 << 20)
        .handshakeTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
        .generateOriginHeader(false)
        .withUTF8Validator(false)
        .build();
  }

  /** Whether connections use the native epoll transport. */
  public boolean usesEpoll() {
    return channelType == EpollSocketChannel.class;
  }

  /** The event loops of the clients, for scenarios that schedule their senders there. */
  public EventLoopGroup group() {
    return group;
  }

  /** Opens one client; it is connected when {@link BenchClient#connected()} completes. */
  public BenchClient open() {
    int index = nextIndex.getAndIncrement();
    return open(new BenchClient(index, sessions.apply(index)));
  }

  /**
   * Connects again as {@code previous}: a new client with the same index and session, which
   * presents the session's pid and last offset when it tracks recovery.
   */
  public BenchClient reopen(BenchClient previous) {
    return open(new BenchClient(previous.index(), previous.session()));
  }

  private BenchClient open(BenchClient client) {
    ChannelFuture connect = new Bootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new BenchClientInitializer(webSocket, client, listener, parser))
        .connect(server, sources.next());
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        client.onClosed(f.cause());
      }
    });
    return client;
  }

  /**
   * Opens {@code count} clients, at most {@code maxInFlight} at a time (a burst of thousands of
   * handshakes would overflow the server's accept backlog), and runs {@code setup} on each once
   * connected (join rooms, say). Completes with the clients in index order once every setup has
   * completed, or fails with the first failure.
   */
  public CompletableFuture<List<BenchClient>> connect(int count, int maxInFlight,
      Function<BenchClient, ? extends CompletionStage<?>> setup) {
    if (count < 0 || maxInFlight <= 0) {
      throw new IllegalArgumentException("count must not be negative and maxInFlight must be positive");
    }
    return new Connector(count, i -> open(), setup, false).start(Math.min(count, maxInFlight));
  }

  /**
   * Reconnects every client of {@code previous} ({@link #reopen}), at most {@code maxInFlight}
   * handshakes at a time. Completes once each has connected or failed, with the new clients in
   * the same order; a failure fails only its own {@link BenchClient#connected()}.
   */
  public CompletableFuture<List<BenchClient>> reopenAll(List<BenchClient> previous, int maxInFlight) {
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("maxInFlight must be positive");
    }
    return new Connector(previous.size(), i -> reopen(previous.get(i)), CompletableFuture::completedFuture, true)
        .start(Math.min(previous.size(), maxInFlight));
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * Keeps {@code maxInFlight} connects going until {@code count} have been set up. Unless
   * {@code tolerant}, the first failure fails the whole.
   */
  private final class Connector {
    private final BenchClient[] clients;
    private final IntFunction<BenchClient> opener;
    private final Function<BenchClient, ? extends CompletionStage<?>> setup;
    private final boolean tolerant;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final CompletableFuture<List<BenchClient>> all = new CompletableFuture<>();

    Connector(int count, IntFunction<BenchClient> opener, Function<BenchClient, ? extends CompletionStage<?>> setup,
        boolean tolerant) {
      this.clients = new BenchClient[count];
      this.opener = opener;
      this.setup = setup;
      this.tolerant = tolerant;
    }

    CompletableFuture<List<BenchClient>> start(int parallel) {
      if (clients.length == 0) {
        all.complete(List.of());
      }
      for (int i = 0; i < parallel; i++) {
        next();
      }
      return all;
    }

    private void next() {
      int i = started.getAndIncrement();
      if (i >= clients.length || all.isDone()) {
        return;
      }
      BenchClient client = opener.apply(i);
      clients[i] = client;
      client.connected().thenCompose(c -> setup.apply(c).thenApply(x -> c)).whenComplete((ignored, error) -> {
        if (error != null && !tolerant) {
          all.completeExceptionally(new IOException("client " + i + " of " + clients.length
              + " could not connect and set up: " + error.getMessage(), error));
        } else if (finished.incrementAndGet() == clients.length) {
          all.complete(Arrays.asList(clients));
        } else {
          next();
        }
      });
    }
  }
}
