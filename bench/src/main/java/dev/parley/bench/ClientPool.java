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
  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelType;
  private final PacketParser parser = new PacketParser(new ObjectMapper());
  /** Index of the next client opened. Any thread. */
  private final AtomicInteger nextIndex = new AtomicInteger();

  public ClientPool(InetSocketAddress server, SourceAddresses sources, int ioThreads, ClientListener listener) {
    if (ioThreads <= 0) {
      throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
    }
    this.server = server;
    this.sources = sources;
    this.listener = listener;
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
    BenchClient client = new BenchClient(nextIndex.getAndIncrement());
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
    return new Connector(count, setup).start(Math.min(count, maxInFlight));
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Keeps {@code maxInFlight} connects going until {@code count} have been set up. */
  private final class Connector {
    private final BenchClient[] clients;
    private final Function<BenchClient, ? extends CompletionStage<?>> setup;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final CompletableFuture<List<BenchClient>> all = new CompletableFuture<>();

    Connector(int count, Function<BenchClient, ? extends CompletionStage<?>> setup) {
      this.clients = new BenchClient[count];
      this.setup = setup;
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
      BenchClient client = open();
      clients[i] = client;
      client.connected().thenCompose(c -> setup.apply(c).thenApply(x -> c)).whenComplete((ignored, error) -> {
        if (error != null) {
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
