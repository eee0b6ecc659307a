package dev.parley.socketio;

import static dev.parley.socketio.JavaClientHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.netty.handler.ssl.SslContext;
import io.socket.client.IO;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTPS and WSS on one port, with a certificate made for the test: the official Java client over
 * every transport, the server's own https origin, and a client that speaks plain HTTP to it.
 */
@Timeout(60)
class JavaClientTlsIT {
  private static final Duration WAIT = RecordingJavaClient.WAIT;

  @TempDir
  static Path dir;
  private static TestCertificate certificate;
  private static SslContext serverContext;
  /** Trusts the test certificate; holds polls open longer than a ping interval. */
  private static OkHttpClient okHttp;
  private static HttpClient jdkHttp;

  private JavaClientHarness harness;
  private SocketIoServer server;

  @BeforeAll
  static void makeCertificate() throws Exception {
    certificate = TestCertificate.create(dir);
    serverContext = certificate.serverContext();
    okHttp = new OkHttpClient.Builder()
        .sslSocketFactory(certificate.clientContext().getSocketFactory(), certificate.trustManager())
        .readTimeout(1, TimeUnit.MINUTES)
        .build();
    jdkHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(certificate.clientContext())
        .connectTimeout(WAIT).build();
  }

  @BeforeEach
  void startServer() throws InterruptedException {
    harness = JavaClientHarness.start(options -> options.tls(serverContext));
    server = harness.server();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    harness.close();
  }

  private URI uri(String scheme, String query) {
    return URI.create(scheme + "://127.0.0.1:" + server.port() + "/socket.io/?" + query);
  }

  private HttpResponse<String> httpsGet(String query, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("https", query)).timeout(WAIT);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return jdkHttp.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void theOfficialClientExchangesEventsOverTls(JavaClientTransport transport) throws Exception {
    BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();
    server.sockets().onConnection(socket -> {
      socket.on("echo", (args, ack) -> ack.send(args.get(0)));
      connected.add(socket);
    });
    IO.Options options = JavaClientHarness.options(transport);
    options.callFactory = okHttp;
    options.webSocketFactory = okHttp;

    RecordingJavaClient client = harness.client("/", options).record("news").connectAndWait();
    Socket socket = await(connected, "the server-side socket");
    if (transport.upgrades()) {
      assertThat(client.awaitUpgrade()).isEqualTo("websocket");
    }
    socket.emit("news", "from the server");

    assertThat(client.next("news").arg(0)).isEqualTo("from the server");
    assertThat(client.emitAndAwaitAck("echo", "from the client")).containsExactly("from the client");
    assertThat(socket.handshake().secure()).isTrue();
    assertThat(socket.transport()).isEqualTo(transport.finalTransport());
  }

  @Test
  void aPlainHttpRequestFailsTheHandshakeAndTheServerGoesOn() throws Exception {
    try (java.net.Socket plain = new java.net.Socket("127.0.0.1", server.port())) {
      plain.setSoTimeout((int) WAIT.toMillis());
      plain.getOutputStream().write(("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + server.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      plain.getOutputStream().flush();
      assertThat(readUntilClosed(plain.getInputStream())).as("no HTTP answer in clear text").doesNotContain("HTTP/1.1");
    }

    HttpResponse<String> open = httpsGet("EIO=4&transport=polling");
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).startsWith("0{\"sid\":");
  }

  /** What the server sent before closing the connection; fails if it keeps it open. */
  private static String readUntilClosed(InputStream in) throws IOException {
    StringBuilder received = new StringBuilder();
    byte[] buffer = new byte[1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketTimeoutException e) {
      fail("Timed out waiting for the server to close a plain-HTTP connection to its TLS port");
    } catch (SocketException e) {
      // Reset by the server: closed as well.
    }
    return received.toString();
  }

  @Test
  void theServersOwnOriginIsItsHttpsOrigin() throws Exception {
    String own = "https://127.0.0.1:" + server.port();
    String sameHostOverHttp = "http://127.0.0.1:" + server.port();

    assertThat(httpsGet("EIO=4&transport=polling", "Origin", own).statusCode()).isEqualTo(200);
    assertThat(httpsGet("EIO=4&transport=polling", "Origin", sameHostOverHttp).statusCode()).isEqualTo(403);
    assertThat(httpsGet("EIO=4&transport=polling", "Origin", "https://evil.example").statusCode()).isEqualTo(403);

    WebSocket webSocket = jdkHttp.newWebSocketBuilder().header("Origin", own)
        .buildAsync(uri("wss", "EIO=4&transport=websocket"), new WebSocket.Listener() {})
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    webSocket.abort();
    assertThatThrownBy(() -> jdkHttp.newWebSocketBuilder().header("Origin", "https://evil.example")
        .buildAsync(uri("wss", "EIO=4&transport=websocket"), new WebSocket.Listener() {})
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
  }
}
