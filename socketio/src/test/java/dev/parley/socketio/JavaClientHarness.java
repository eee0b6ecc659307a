package dev.parley.socketio;

import static org.assertj.core.api.Assertions.fail;

import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.thread.EventThread;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * A {@link SocketIoServer} on a free loopback port and the official Java clients connected to it.
 * {@link #close()} disconnects every client, waits until the clients' event thread has handled
 * that, then closes the server.
 */
final class JavaClientHarness implements AutoCloseable {
  /**
   * One HTTP client for every Java client. OkHttp's default allows 5 requests per host at once,
   * and every long-polling client keeps one GET open: many polling clients would queue forever.
   * The read timeout must outlast a poll, which the server holds for up to a ping interval.
   */
  private static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .dispatcher(unboundedDispatcher())
      .readTimeout(1, TimeUnit.MINUTES)
      .build();

  /**
   * The first connection in a JVM loads and compiles the client's and the server's code, which
   * takes seconds on a busy machine. It is made once, on a server of its own, under this longer
   * bound, so that the tests' usual bounds measure the server and not the class loader.
   */
  private static final Duration WARM_UP_WAIT = Duration.ofSeconds(20);
  private static final AtomicBoolean warmedUp = new AtomicBoolean();

  private final SocketIoServer server;
  private final List<RecordingJavaClient> clients = new CopyOnWriteArrayList<>();

  private JavaClientHarness(SocketIoServer server) {
    this.server = server;
  }

  /** Starts a server with the default options on 127.0.0.1 and a free port. */
  static JavaClientHarness start() throws InterruptedException {
    return start(UnaryOperator.identity());
  }

  /** Starts a server with options adjusted by {@code options}, on 127.0.0.1 and a free port. */
  static JavaClientHarness start(UnaryOperator<ServerOptions.Builder> options) throws InterruptedException {
    if (warmedUp.compareAndSet(false, true)) {
      warmUp();
    }
    ServerOptions built = options.apply(ServerOptions.builder()).host("127.0.0.1").port(0).build();
    return new JavaClientHarness(SocketIoServer.create(built).start());
  }

  private static void warmUp() throws InterruptedException {
    ServerOptions options = ServerOptions.builder().host("127.0.0.1").port(0).build();
    try (JavaClientHarness harness = new JavaClientHarness(SocketIoServer.create(options).start())) {
      for (JavaClientTransport transport : JavaClientTransport.values()) {
        harness.client(transport, "/").connect().next("connect", WARM_UP_WAIT);
      }
    }
  }

  SocketIoServer server() {
    return server;
  }

  /** The URL of namespace {@code nsp} on this server (https when it serves TLS). */
  URI url(String nsp) {
    String scheme = server.options().tls().isPresent() ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.port() + nsp);
  }

  /** Client options for {@code transport}: a connection of its own, no automatic reconnection. */
  static IO.Options options(JavaClientTransport transport) {
    IO.Options options = new IO.Options();
    options.forceNew = true;
    options.reconnection = false;
    options.transports = transport.clientTransports();
    options.callFactory = HTTP;
    options.webSocketFactory = HTTP;
    return options;
  }

  /** A client of namespace {@code nsp} over {@code transport}, not yet connected. */
  RecordingJavaClient client(JavaClientTransport transport, String nsp) {
    return client(nsp, options(transport));
  }

  /** A client of namespace {@code nsp} with these options, not yet connected. */
  RecordingJavaClient client(String nsp, IO.Options options) {
    return track(new RecordingJavaClient(IO.socket(url(nsp), options)));
  }

  /** A client of namespace {@code nsp} sharing the connection that {@code manager} holds. */
  RecordingJavaClient client(Manager manager, String nsp) {
    return track(new RecordingJavaClient(manager.socket(nsp)));
  }

  /** A manager (one Engine.IO connection) for clients of several namespaces. */
  Manager manager(JavaClientTransport transport) {
    return new Manager(url(""), options(transport));
  }

  /** A client of namespace {@code nsp} over {@code transport}, connected. */
  RecordingJavaClient connected(JavaClientTransport transport, String nsp) throws InterruptedException {
    return client(transport, nsp).connectAndWait();
  }

  private RecordingJavaClient track(RecordingJavaClient client) {
    clients.add(client);
    return client;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      clients.forEach(RecordingJavaClient::close);
      CountDownLatch closed = new CountDownLatch(1);
      EventThread.exec(closed::countDown);
      if (!closed.await(RecordingJavaClient.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("Timed out waiting for the Java clients to close");
      }
    } finally {
      server.close();
    }
  }

  /** The next element of {@code queue}, waiting a bounded time. */
  static <T> T await(BlockingQueue<T> queue, String what) throws InterruptedException {
    T value = queue.poll(RecordingJavaClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (value == null) {
      fail("Timed out waiting for " + what);
    }
    return value;
  }

  /** The value of {@code future}, waiting a bounded time. */
  static <T> T await(CompletableFuture<T> future, String what) throws InterruptedException, ExecutionException {
    try {
      return future.get(RecordingJavaClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return fail("Timed out waiting for " + what);
    }
  }

  /** Waits for {@code latch}, a bounded time. */
  static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(RecordingJavaClient.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("Timed out waiting for " + what + " (" + latch.getCount() + " still missing)");
    }
  }

  private static Dispatcher unboundedDispatcher() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(4096);
    dispatcher.setMaxRequestsPerHost(4096);
    return dispatcher;
  }
}
