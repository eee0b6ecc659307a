package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The long-polling endpoint behind a real socket, for what only a real connection shows: a body
 * refused while the client is still sending it, and requests of one session arriving on
 * connections served by different event loops. The rest is in {@link EngineIoHttpHandlerTest}
 * and {@link EngineSessionTest}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EngineIoHttpServerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static SocketIoServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    server = SocketIoServer.create(ServerOptions.builder()
        .host("127.0.0.1").port(0)
        .maxPayload(1000)
        .ioThreads(4)
        .allowedOrigins(List.of("https://chat.example"))
        .build()).start();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static URI uri(String query) {
    return URI.create("http://127.0.0.1:" + server.port() + "/socket.io/?" + query);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String handshake() throws Exception {
    HttpResponse<String> open = send(HttpRequest.newBuilder(uri("EIO=4&transport=polling")));
    assertThat(open.statusCode()).isEqualTo(200);
    return MAPPER.readTree(open.body().substring(1)).get("sid").textValue();
  }

  private static String session(String sid) {
    return "EIO=4&transport=polling&sid=" + sid;
  }

  /** A raw HTTP/1.1 connection, to send a request piece by piece. */
  private static final class RawConnection implements AutoCloseable {
    private final java.net.Socket socket = new java.net.Socket();
    private final OutputStream out;
    private final BufferedReader in;

    RawConnection() throws IOException {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) WAIT.toMillis());
      socket.setSoTimeout((int) WAIT.toMillis());
      out = socket.getOutputStream();
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    /** The status line of the response; fails after {@link #WAIT} without one. */
    String statusLine() throws IOException {
      return in.readLine();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void bodyDeclaredTooLargeIsRefusedWithoutWaitingForIt() throws Exception {
    String sid = handshake();
    try (RawConnection connection = new RawConnection()) {
      connection.write("POST /socket.io/?" + session(sid) + " HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 50000000\r\n\r\n4");

      assertThat(connection.statusLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
    }
    HttpResponse<String> post = send(HttpRequest.newBuilder(uri(session(sid)))
        .POST(HttpRequest.BodyPublishers.ofString("4[\"still open\"]")));
    assertThat(post.statusCode()).as("the session outlives the refused body").isEqualTo(200);
  }

  @Test
  void chunkedBodyIsRefusedWhileTheClientIsStillSending() throws Exception {
    String sid = handshake();
    try (RawConnection connection = new RawConnection()) {
      connection.write("POST /socket.io/?" + session(sid) + " HTTP/1.1\r\nHost: x\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n");
      String chunk = "400\r\n" + "4" + "x".repeat(1023) + "\r\n";

      connection.write(chunk);

      // No terminating chunk is ever sent: the answer cannot wait for the end of the body.
      assertThat(connection.statusLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
    }
  }

  @Test
  void overlappingPollsOnTwoConnectionsCloseTheSession() throws Exception {
    String sid = handshake();

    // Nothing is queued for the session: whichever poll arrives first waits, the other overlaps.
    List<CompletableFuture<HttpResponse<String>>> polls = List.of(
        http.sendAsync(HttpRequest.newBuilder(uri(session(sid))).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString()),
        http.sendAsync(HttpRequest.newBuilder(uri(session(sid) + "&t=burst")).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString()));

    List<String> outcomes = new java.util.ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      HttpResponse<String> response = poll.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      outcomes.add(response.statusCode() + (response.statusCode() == 200 ? " " + response.body() : ""));
    }
    assertThat(outcomes).containsExactlyInAnyOrder("200 1", "400");
    assertThat(send(HttpRequest.newBuilder(uri(session(sid)))).statusCode()).isEqualTo(400);
  }

  @Test
  void invalidPostClosesTheSessionAndTheServerGoesOn() throws Exception {
    String sid = handshake();

    HttpResponse<String> post = send(HttpRequest.newBuilder(uri(session(sid)))
        .POST(HttpRequest.BodyPublishers.ofString("abc")));

    assertThat(post.statusCode()).isEqualTo(400);
    HttpResponse<String> poll = send(HttpRequest.newBuilder(uri(session(sid))));
    assertThat(poll.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(poll.body()).get("code").intValue()).isEqualTo(1);
    assertThat(handshake()).as("new sessions still open").isNotEmpty();
  }

  @Test
  void foreignOriginIsForbiddenAndAllowedOneGetsCors() throws Exception {
    HttpResponse<String> foreign = send(HttpRequest.newBuilder(uri("EIO=4&transport=polling"))
        .header("Origin", "https://evil.example"));
    HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri("EIO=4&transport=polling"))
        .header("Origin", "https://chat.example"));

    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(MAPPER.readTree(foreign.body())).isEqualTo(MAPPER.readTree("{\"code\":4,\"message\":\"Forbidden\"}"));
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://chat.example");
  }
}
