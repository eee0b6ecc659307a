package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which browser pages may open a Socket.IO session (cross-site WebSocket hijacking): by default
 * the server's own pages and clients that are not browsers (no {@code Origin}); with
 * {@code --allowed-origins *}, any.
 */
@Timeout(60)
class OriginIT {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String EVIL = "http://evil.example";

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

  String ownOrigin() {
    return "http://127.0.0.1:" + parley.port();
  }

  /** The status of a polling handshake sent with {@code origin} (none if empty). */
  int pollingHandshake(Optional<String> origin) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create(ownOrigin() + "/socket.io/?EIO=4&transport=polling")).timeout(WAIT);
    origin.ifPresent(o -> request.header("Origin", o));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** The status of a WebSocket upgrade sent with {@code origin} (none if empty): 101 when it opened. */
  int webSocketUpgrade(Optional<String> origin) throws Exception {
    WebSocket.Builder builder = http.newWebSocketBuilder();
    origin.ifPresent(o -> builder.header("Origin", o));
    URI uri = URI.create("ws://127.0.0.1:" + parley.port() + "/socket.io/?EIO=4&transport=websocket");
    try {
      builder.buildAsync(uri, new WebSocket.Listener() {}).get(WAIT.toMillis(), TimeUnit.MILLISECONDS).abort();
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  @Test
  void byDefaultAPageOfAnotherSiteIsRefusedOnBothTransports() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"));

    assertThat(pollingHandshake(Optional.of(EVIL))).isEqualTo(403);
    assertThat(webSocketUpgrade(Optional.of(EVIL))).isEqualTo(403);
  }

  @Test
  void byDefaultTheServersOwnPagesAndNonBrowserClientsConnect() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"));

    assertThat(pollingHandshake(Optional.of(ownOrigin()))).isEqualTo(200);
    assertThat(webSocketUpgrade(Optional.of(ownOrigin()))).isEqualTo(101);
    assertThat(pollingHandshake(Optional.empty())).isEqualTo(200);
    assertThat(webSocketUpgrade(Optional.empty())).isEqualTo(101);
  }

  @Test
  void listedOriginsAreAllowedBesidesTheServersOwn() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"), "--allowed-origins", "https://chat.example");

    assertThat(pollingHandshake(Optional.of("https://chat.example"))).isEqualTo(200);
    assertThat(webSocketUpgrade(Optional.of(ownOrigin()))).isEqualTo(101);
    assertThat(webSocketUpgrade(Optional.of(EVIL))).isEqualTo(403);
  }

  @Test
  void aStarAllowsAnyOrigin() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"), "--allowed-origins", "*");

    assertThat(pollingHandshake(Optional.of(EVIL))).isEqualTo(200);
    assertThat(webSocketUpgrade(Optional.of(EVIL))).isEqualTo(101);
  }
}
