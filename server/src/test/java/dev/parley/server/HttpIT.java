package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What Parley serves over plain HTTP, against a real node. */
@Timeout(30)
class HttpIT {
  @TempDir
  Path dir;
  Parley parley;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    if (parley != null) {
      parley.close();
    }
  }

  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.port() + path))
        .timeout(Duration.ofSeconds(5));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReadinessAndMetrics() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"));
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("parley_connections", "parley_db_commit_seconds_bucket",
        "parley_delivery_latency_seconds_bucket", "parley_messages_in_total");
  }

  @Test
  void servesTheAppWithStrictHeadersAndHashedAssetsForGood() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"));
    HttpResponse<String> index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(index.headers().firstValue("content-security-policy")).hasValueSatisfying(v ->
        assertThat(v).contains("script-src 'self';", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
    assertThat(index.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(index.headers().firstValue("x-frame-options")).hasValue("DENY");
    assertThat(index.headers().firstValue("referrer-policy")).hasValue("no-referrer");
    assertThat(index.headers().firstValue("strict-transport-security")).as("HSTS only under TLS").isEmpty();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("/assets/[^\"]+\\.js").matcher(index.body());
    assertThat(m.find()).as("index.html references a hashed script: %s", index.body()).isTrue();
    HttpResponse<String> script = get(m.group(), "Accept-Encoding", "gzip");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
    assertThat(script.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(script.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(script.headers().firstValue("content-security-policy")).isPresent();
    assertThat(get(m.group(), "Accept-Encoding", "gzip, deflate, br").headers().firstValue("content-encoding"))
        .as("Brotli made at build time is preferred").hasValue("br");
    HttpResponse<String> plain = get(m.group(), "Accept-Encoding", "br;q=0, gzip;q=0");
    assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
    assertThat(plain.body()).contains("socket");
    assertThat(get("/no/such/file.js").statusCode()).isEqualTo(404);
  }

  @Test
  void theUsersPublicFolderGetsThePolicyTheUserSet() throws Exception {
    Path pub = Files.createDirectories(dir.resolve("public"));
    Files.writeString(pub.resolve("index.html"), "<p>hello</p>");
    parley = ParleyHarness.start(dir.resolve("data"), "--public-dir", pub.toString(),
        "--public-csp", "default-src 'self' 'unsafe-inline'");

    HttpResponse<String> index = get("/");

    assertThat(index.headers().firstValue("content-security-policy")).hasValue("default-src 'self' 'unsafe-inline'");
    assertThat(index.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(get("/app/").headers().firstValue("content-security-policy")).hasValueSatisfying(v ->
        assertThat(v).contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
  }

  @Test
  void everyResponseForbidsContentSniffing() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"));
    for (String path : new String[] {"/healthz", "/readyz", "/metrics", "/socket.io/socket.io.js", "/no/such/file.js",
        "/socket.io/?EIO=4&transport=polling", "/socket.io/?EIO=3&transport=polling"}) {
      HttpResponse<String> response = get(path);
      assertThat(response.headers().firstValue("x-content-type-options")).as(path).hasValue("nosniff");
      assertThat(response.headers().firstValue("strict-transport-security")).as(path).isEmpty();
    }
  }

  @Test
  void servesTheOfficialClientBundleLikeANodeServer() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"));
    for (String file : new String[] {"/socket.io/socket.io.js", "/socket.io/socket.io.min.js",
        "/socket.io/socket.io.js.map"}) {
      HttpResponse<String> r = get(file);
      assertThat(r.statusCode()).as(file).isEqualTo(200);
    }
    assertThat(get("/socket.io/socket.io.js").body()).contains("Socket.IO v4.8.4");
  }

  @Test
  void servesTheUsersPublicFolderFirstAndNothingOutsideIt() throws Exception {
    Path pub = Files.createDirectories(dir.resolve("public"));
    Files.writeString(pub.resolve("index.html"), "<script>var tutorial = 1;</script>");
    Files.writeString(dir.resolve("secret.txt"), "secret");
    parley = ParleyHarness.start(dir.resolve("data"), "--public-dir", pub.toString());
    HttpResponse<String> index = get("/");
    assertThat(index.body()).isEqualTo("<script>var tutorial = 1;</script>");
    assertThat(index.headers().firstValue("content-security-policy")).as("inline scripts keep working").isEmpty();
    assertThat(index.headers().firstValue("x-frame-options")).isEmpty();
    assertThat(index.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(get("/../secret.txt").body()).doesNotContain("secret");
    assertThat(get("/%2e%2e/secret.txt").body()).doesNotContain("secret");
    assertThat(get("/app/").body()).contains("<div id=");
  }
}
