package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The accounts API of one running node through a real HTTP client: registering, signing in
 * (the Cookie header to send back) and requests with bounded timeouts.
 */
final class AccountsHttp {
  static final String PASSWORD = "correct horse battery staple";
  static final ObjectMapper JSON = new ObjectMapper();

  final String origin;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  AccountsHttp(int port) {
    this.origin = "http://127.0.0.1:" + port;
  }

  void register(String name) throws Exception {
    HttpResponse<String> r = post("/api/v1/auth/register", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD
        + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /** Signs in; returns the Cookie header to send. */
  String signIn(String name, String... headers) throws Exception {
    HttpResponse<String> r = post("/api/v1/auth/signin", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD
        + "\"}", headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
  }

  /** A POST signed in by {@code cookie}, from the server's own origin. */
  HttpResponse<String> postAs(String cookie, String path, String body) throws Exception {
    return post(path, body, "Cookie", cookie, "Origin", origin);
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, null, headers);
  }

  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    List<String> all = new ArrayList<>(List.of(headers));
    if (!body.isEmpty()) {
      all.addAll(List.of("Content-Type", "application/json"));
    }
    return send("POST", path, body, all.toArray(String[]::new));
  }

  HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The body of a successful answer. */
  static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    return JSON.readTree(response.body());
  }

  /** The error code of a failed answer, after checking its status. */
  static String error(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body()).at("/error/code").asText();
  }
}
