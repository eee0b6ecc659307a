package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node behind a reverse proxy that terminates TLS (the README's nginx example), played by the
 * test's own requests from loopback: with {@code --trusted-proxies}, the proxy's
 * {@code X-Forwarded-Proto} makes the public https page the server's own origin, and its
 * {@code X-Forwarded-For} names the client that per-address rate limits count. From an address
 * that is not trusted, neither header counts.
 */
class ProxyIT {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir
  Path dir;
  Parley parley;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @AfterEach
  void stop() {
    if (parley != null) {
      parley.close();
    }
  }

  /** A polling handshake from a page at {@code origin}, through a proxy that says the client used {@code proto}. */
  int handshake(String origin, String proto) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.port()
            + "/socket.io/?EIO=4&transport=polling")).timeout(WAIT)
        .header("Origin", origin).header("X-Forwarded-Proto", proto).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  int signIn(String forwardedFor) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.port() + "/api/v1/auth/signin"))
        .timeout(WAIT).header("Content-Type", "application/json").header("X-Forwarded-For", forwardedFor)
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"nobody\",\"password\":\"wrong password\"}"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void aTrustedProxySaysThePageCameOverHttps() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"), "--trusted-proxies", "127.0.0.1");
    String publicPage = "https://127.0.0.1:" + parley.port();

    assertThat(handshake(publicPage, "https")).as("the server's own page, served over https by the proxy")
        .isEqualTo(200);
    assertThat(handshake("http://127.0.0.1:" + parley.port(), "https"))
        .as("an http page is another origin than the https site").isEqualTo(403);
  }

  @Test
  void withoutTrustTheForwardedSchemeDoesNotCount() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"));

    assertThat(handshake("https://127.0.0.1:" + parley.port(), "https")).isEqualTo(403);
  }

  @Test
  void rateLimitsPerAddressCountTheClientsBehindATrustedProxy() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"), "--trusted-proxies", "127.0.0.0/8", "--rate-auth", "2");

    assertThat(signIn("198.51.100.1")).isEqualTo(401);
    assertThat(signIn("198.51.100.1")).isEqualTo(401);
    assertThat(signIn("198.51.100.1")).as("the third try of one client").isEqualTo(429);
    assertThat(signIn("198.51.100.2")).as("another client behind the same proxy").isEqualTo(401);
    assertThat(signIn("198.51.100.2, 127.0.0.1")).as("the same client through two proxies").isEqualTo(401);
    assertThat(signIn("198.51.100.2")).isEqualTo(429);
  }

  @Test
  void withoutTrustEveryRequestIsThePeers() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"), "--rate-auth", "2");

    assertThat(signIn("198.51.100.1")).isEqualTo(401);
    assertThat(signIn("198.51.100.2")).isEqualTo(401);
    assertThat(signIn("198.51.100.3")).as("all from 127.0.0.1, whatever they claim").isEqualTo(429);
  }
}
