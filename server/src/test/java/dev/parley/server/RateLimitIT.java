package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits on a real node with low limits, through the official Java client: a flooding
 * client is refused with {@code rate_limited} and how long to wait, loses nothing it was told
 * was stored, keeps its connection, and nobody else is slowed down.
 */
@Timeout(60)
class RateLimitIT {
  @TempDir
  Path dataDir;
  private Parley parley;
  private final List<ChatClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    if (parley != null) {
      parley.close();
    }
  }

  private ChatClient connect(String name) throws Exception {
    ChatClient client = ChatClient.chat(parley.port(), name);
    clients.add(client);
    return client;
  }

  private static JSONObject send(ChatClient client, String roomId, String text) throws Exception {
    return client.request("message:send", "roomId", roomId, "text", text, "clientMsgId", UUID.randomUUID().toString());
  }

  @Test
  void aUserSendingFasterThanTheLimitIsToldToWaitAndStaysConnected() throws Exception {
    // One message a minute after a burst of three: the refill cannot interfere with the test.
    parley = ParleyHarness.start(dataDir, "--rate-messages", "1", "--rate-message-burst", "3");
    ChatClient ada = connect("ada");
    String general = ChatServerIT.generalId(ada.session());
    ChatClient bob = connect("bob");
    bob.session();

    List<String> stored = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JSONObject ack = send(ada, general, "burst " + i);
      assertThat(ack.getBoolean("ok")).as("message %d of the burst: %s", i, ack).isTrue();
      stored.add(ack.getString("id"));
    }
    JSONObject refused = send(ada, general, "one too many");
    assertThat(refused.getBoolean("ok")).isFalse();
    JSONObject error = refused.getJSONObject("error");
    assertThat(error.getString("code")).isEqualTo("rate_limited");
    assertThat(error.getLong("retryAfterMs")).isBetween(1L, 1_000L);

    assertThat(ada.socket.connected()).isTrue();
    JSONObject page = ada.request("history", "roomId", general, "limit", 100);
    assertThat(page.getBoolean("ok")).as("other requests still answered: %s", page).isTrue();
    JSONArray messages = page.getJSONArray("messages");
    List<String> texts = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < messages.length(); i++) {
      texts.add(messages.getJSONObject(i).getString("text"));
      ids.add(messages.getJSONObject(i).getString("id"));
    }
    assertThat(ids).as("every acknowledged message is stored").containsAll(stored);
    assertThat(texts).as("the refused one is not").doesNotContain("one too many");

    assertThat(send(bob, general, "bob is not limited by ada").getBoolean("ok")).isTrue();
    assertThat(metrics()).contains("parley_rate_limited_total{kind=\"message\"} 1.0");
  }

  private String metrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void tooManyNewConnectionsFromOneAddressAreRefusedWithRetryAfter() throws Exception {
    parley = ParleyHarness.start(dataDir, "--rate-connections", "2");
    connect("ada").session();
    connect("bob").session();

    ChatClient third = connect("cat");
    String error = third.connectError().toString();
    assertThat(error).contains("rate_limited", "retryAfterMs");
    assertThat(third.socket.connected()).isFalse();
  }

  @Test
  void aTutorialPageSendingTooFastGetsARateLimitedEventAndItsExtraLineIsNotPosted() throws Exception {
    parley = ParleyHarness.start(dataDir, "--rate-messages", "1", "--rate-message-burst", "2");
    ChatClient page = ChatClient.tutorial(parley.port());
    clients.add(page);
    page.next("loadMessages");
    for (int i = 0; i < 3; i++) {
      page.socket.emit("message", "line " + i);
    }
    assertThat(page.next("message").toString()).endsWith(": line 0");
    assertThat(page.next("message").toString()).endsWith(": line 1");
    assertThat(((JSONObject) page.next("rate_limited")).getLong("retryAfterMs")).isPositive();

    ChatClient other = ChatClient.tutorial(parley.port());
    clients.add(other);
    other.next("loadMessages");
    other.socket.emit("message", "marker");
    assertThat(page.next("message").toString()).as("the third line was not posted").endsWith(": marker");
  }

  @Test
  void guessingAPasswordIsStoppedWith429AndRetryAfter() throws Exception {
    parley = ParleyHarness.start(dataDir, "--rate-sign-ins", "3");
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + parley.port() + "/api/v1/auth/";
    java.util.function.Function<String, HttpRequest> post = body -> HttpRequest.newBuilder(URI.create(base
        + (body.contains("register") ? "register" : "signin")))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.replace("register", ""))).build();
    assertThat(http.send(post.apply("{\"username\":\"ada\",\"password\":\"correct horse battery\"}register"),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> wrong = http.send(post.apply("{\"username\":\"ada\",\"password\":\"guess " + i + "\"}"),
          HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
    }
    HttpResponse<String> limited = http.send(post.apply("{\"username\":\"ADA\",\"password\":\"correct horse battery\"}"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(limited.statusCode()).as("even the right password waits: %s", limited.body()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).get()
        .satisfies(seconds -> assertThat(seconds).isBetween(1L, 300L));
    assertThat(limited.body()).contains("\"code\":\"rate_limited\"");
    assertThat(metrics()).contains("parley_rate_limited_total{kind=\"sign_in\"} 1.0");
  }
}
