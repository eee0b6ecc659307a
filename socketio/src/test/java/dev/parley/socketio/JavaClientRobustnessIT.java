package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failing handler or a client that breaks the protocol costs only its own socket or session:
 * an official Java client on the same server, and on the same event loop, keeps working.
 */
@Timeout(30)
class JavaClientRobustnessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private JavaClientHarness harness;
  private SocketIoServer server;
  private RecordingJavaClient bystander;

  @BeforeEach
  void startServerWithABystander() throws InterruptedException {
    // One event loop: whatever happens to one session happens on the loop that serves the others.
    harness = JavaClientHarness.start(options -> options.ioThreads(1));
    server = harness.server();
    server.sockets().onConnection(socket -> {
      socket.on("echo", (args, ack) -> ack.send(args.list().toArray()));
      socket.on("boom", (args, ack) -> {
        throw new IllegalStateException("a bug in an event handler");
      });
    });
    bystander = harness.connected(JavaClientTransport.WEBSOCKET, "/");
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    harness.close();
  }

  private void assertBystanderStillServed() throws InterruptedException {
    assertThat(bystander.emitAndAwaitAck("echo", "still here")).containsExactly("still here");
    assertThat(bystander.socket().connected()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void aThrowingHandlerDisconnectsOnlyTheSocketItServes(JavaClientTransport transport) throws Exception {
    RecordingJavaClient culprit = harness.connected(transport, "/");

    culprit.emit("boom");

    assertThat(culprit.next("disconnect").args()).containsExactly("io server disconnect");
    assertBystanderStillServed();
    RecordingJavaClient newcomer = harness.connected(transport, "/");
    assertThat(newcomer.emitAndAwaitAck("echo", 1, "two")).containsExactly(1, "two");
  }

  @Test
  void aThrowingMiddlewareRefusesWithServerError() throws Exception {
    server.namespace("/fragile").use((socket, next) -> {
      throw new IllegalStateException("a bug in a middleware");
    });

    RecordingJavaClient refused = harness.client(JavaClientTransport.POLLING, "/fragile").connect();
    JSONObject error = (JSONObject) refused.next("connect_error").arg(0);

    assertThat(error.getString("message")).isEqualTo("server error");
    assertBystanderStillServed();
  }

  /** Engine.IO packets that break the protocol; a packet starting with {@code b} is binary, in base64. */
  static Stream<List<String>> garbage() {
    return Stream.of(
        List.of("x"),                                                   // no such Engine.IO packet type
        List.of("42{}"),                                                // event payload not an array
        List.of("42[\"unterminated"),                                   // not JSON
        List.of("49[]"),                                                // no such Socket.IO packet type
        List.of("4/elsewhere,2[\"hi\"]"),                               // namespace never joined
        List.of("451-[\"file\",{\"_placeholder\":true,\"num\":5}]", "bAQID")); // placeholder past the attachments
  }

  @ParameterizedTest
  @MethodSource("garbage")
  void garbageOnAWebSocketClosesThatSessionOnly(List<String> packets) throws Exception {
    RawEngineIoWebSocket raw = RawEngineIoWebSocket.open(server.port());
    assertThat(raw.connectToMainNamespace()).startsWith("40{\"sid\":");

    for (String packet : packets) {
      raw.send(packet);
    }

    raw.awaitClosed();
    assertBystanderStillServed();
  }

  @ParameterizedTest
  @MethodSource("garbage")
  void garbageOnLongPollingClosesThatSessionOnly(List<String> packets) throws Exception {
    HttpResponse<String> open = get("");
    assertThat(open.body()).startsWith("0{");
    String sid = JSON.readTree(open.body().substring(1)).get("sid").textValue();
    assertThat(post(sid, "40").body()).isEqualTo("ok");
    assertThat(get(sid).body()).startsWith("40{\"sid\":");

    post(sid, String.join("\u001e", packets));
    HttpResponse<String> next = get(sid);

    // The session is gone (400), or this poll is its last and carries the close packet.
    assertThat(next.statusCode() == 400 || next.body().equals("1") || next.body().endsWith("\u001e1"))
        .as("poll after garbage answered %s %s", next.statusCode(), next.body())
        .isTrue();
    assertBystanderStillServed();
  }

  @Test
  void anAcknowledgementNobodyAskedForIsIgnored() throws Exception {
    RawEngineIoWebSocket raw = RawEngineIoWebSocket.open(server.port());
    assertThat(raw.connectToMainNamespace()).startsWith("40{\"sid\":");

    raw.send("4317[\"unasked\"]");
    raw.send("421[\"echo\",\"still open\"]");

    assertThat(raw.nextText()).isEqualTo("431[\"still open\"]");
    assertBystanderStillServed();
  }

  private URI pollingUrl(String sid) {
    return URI.create("http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=polling"
        + (sid.isEmpty() ? "" : "&sid=" + sid));
  }

  private HttpResponse<String> get(String sid) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(pollingUrl(sid)).timeout(RecordingJavaClient.WAIT).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String sid, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(pollingUrl(sid)).timeout(RecordingJavaClient.WAIT)
        .header("Content-Type", "text/plain;charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
