package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP client of a running Parley's JSON API, and the accounts it makes: each {@link User}
 * is registered and signed in, and holds both its session cookie and an access token.
 */
final class ApiClient {
  static final String PASSWORD = "correct horse battery staple";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();

  final String origin;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(int port) {
    this.origin = "http://127.0.0.1:" + port;
  }

  /** A signed-in account. */
  record User(String id, String name, String cookie, String token) {
    /** The headers that sign a request in with the access token. */
    String[] bearer() {
      return new String[] {"Authorization", "Bearer " + token};
    }
  }

  /** Registers and signs in a new account whose name starts with {@code prefix}. */
  User register(String prefix) throws Exception {
    String name = prefix + "-" + NAMES.incrementAndGet();
    String credentials = "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}";
    HttpResponse<String> registered = send("POST", "/api/v1/auth/register", credentials, "Content-Type",
        "application/json");
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    HttpResponse<String> signedIn = send("POST", "/api/v1/auth/signin", credentials, "Content-Type",
        "application/json");
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    String cookie = signedIn.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    HttpResponse<String> tokens = send("POST", "/api/v1/auth/token", null, "Cookie", cookie, "Origin", origin);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    return new User(json(registered).get("user").get("id").asText(), name, cookie,
        json(tokens).get("accessToken").asText());
  }

  HttpResponse<String> get(User user, String path) throws IOException, InterruptedException {
    return send("GET", path, null, user.bearer());
  }

  /** A request with a JSON body, signed in with the user's access token. */
  HttpResponse<String> call(User user, String method, String path, String body)
      throws IOException, InterruptedException {
    return body == null ? send(method, path, null, user.bearer())
        : send(method, path, body, "Authorization", "Bearer " + user.token(), "Content-Type", "application/json");
  }

  HttpResponse<String> post(User user, String path, String body) throws IOException, InterruptedException {
    return call(user, "POST", path, body);
  }

  /** Sends a request as written; {@code body} null for none. */
  HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The status line and body of a GET sent exactly as written, signed in as {@code user}, for
   * paths that java.net.URI refuses.
   */
  String[] rawGet(User user, String path) throws IOException {
    URI base = URI.create(origin);
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getAuthority()
          + "\r\nAuthorization: Bearer " + user.token() + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = answer.indexOf("\r\n\r\n");
      return new String[] {answer.substring(0, answer.indexOf("\r\n")), end < 0 ? "" : answer.substring(end + 4)};
    }
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /** The body of a successful answer, after checking its status. */
  static JsonNode ok(HttpResponse<String> response, int status) throws IOException {
    assertThat(response.statusCode()).as(response.request().method() + " " + response.request().uri() + ": "
        + response.body()).isEqualTo(status);
    return json(response);
  }

  /** The error code of a failed answer, after checking its status. */
  static String error(HttpResponse<String> response, int status) throws IOException {
    assertThat(response.statusCode()).as(response.request().method() + " " + response.request().uri() + ": "
        + response.body()).isEqualTo(status);
    return json(response).get("error").get("code").asText();
  }
}
