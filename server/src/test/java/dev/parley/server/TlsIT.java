package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.socket.client.IO;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley with {@code --tls-cert}/{@code --tls-key} and a certificate made for the test: HTTPS and
 * WSS on one port, HSTS on what it serves, and a plain-HTTP client that cannot bring it down.
 */
@Timeout(60)
class TlsIT {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir
  Path dir;
  Parley parley;
  TestCertificate certificate;
  HttpClient https;
  final List<ChatClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    certificate = TestCertificate.create(dir);
    parley = ParleyHarness.start(dir.resolve("data"),
        "--tls-cert", certificate.certificateFile().toString(), "--tls-key", certificate.keyFile().toString());
    https = HttpClient.newBuilder().sslContext(certificate.clientContext()).connectTimeout(WAIT).build();
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    if (parley != null) {
      parley.close();
    }
  }

  URI base(String scheme) {
    return URI.create(scheme + "://127.0.0.1:" + parley.port());
  }

  HttpResponse<String> get(HttpClient client, String scheme, String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(base(scheme).resolve(path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthAndTheAppAreServedOverHttpsWithHsts() throws Exception {
    HttpResponse<String> health = get(https, "https", "/healthz");
    HttpResponse<String> app = get(https, "https", "/");

    assertThat(parley.secure()).isTrue();
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok");
    for (HttpResponse<String> response : List.of(health, app)) {
      assertThat(response.headers().firstValue("strict-transport-security")).hasValue("max-age=31536000");
      assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    }
    assertThat(app.headers().firstValue("content-security-policy")).isPresent();
  }

  @Test
  void chatOverWssAndOverPollingWithTheOfficialJavaClient() throws Exception {
    OkHttpClient okHttp = new OkHttpClient.Builder()
        .sslSocketFactory(certificate.clientContext().getSocketFactory(), certificate.trustManager())
        .readTimeout(1, TimeUnit.MINUTES)
        .build();
    ChatClient ada = connect("ada", okHttp, "websocket");
    ChatClient bob = connect("bob", okHttp, "polling");
    String general = ChatServerIT.generalId(ada.session());
    bob.session();

    JSONObject ack = ChatServerIT.send(ada, general, "over TLS");
    JSONObject received = ChatServerIT.nextText(bob);
    JSONObject reply = ChatServerIT.send(bob, general, "over TLS too");

    assertThat(received.getString("id")).isEqualTo(ack.getString("id"));
    assertThat(received.getString("text")).isEqualTo("over TLS");
    assertThat(List.of(ChatServerIT.nextText(ada).getString("id"), ChatServerIT.nextText(ada).getString("id")))
        .as("ada sees her message, then bob's reply").containsExactly(ack.getString("id"), reply.getString("id"));
  }

  private ChatClient connect(String name, OkHttpClient okHttp, String transport) {
    IO.Options options = new IO.Options();
    options.transports = new String[] {transport};
    options.callFactory = okHttp;
    options.webSocketFactory = okHttp;
    ChatClient client = ChatClient.chat(base("https"), name, options);
    clients.add(client);
    return client;
  }

  @Test
  void aPlainHttpRequestFailsAndTheServerGoesOn() throws Exception {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(WAIT).build();

    assertThatThrownBy(() -> get(plain, "http", "/healthz")).isInstanceOf(IOException.class);
    assertThat(get(https, "https", "/healthz").statusCode()).isEqualTo(200);
  }
}
