package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in to {@code /chat} with an account, through the official Java client and the accounts
 * API of a real node: the session cookie, an access token or a personal access token in
 * {@code auth.token}; refusals; guests switched off; and connections closed when their credential
 * is revoked.
 */
@Timeout(60)
class ChatAuthIT {
  private static final String PASSWORD = "correct horse battery staple";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;
  private Parley parley;
  private String origin;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<ChatClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    if (parley != null) {
      parley.close();
    }
  }

  private void start(String... extra) {
    parley = ParleyHarness.start(dataDir, extra);
    origin = "http://127.0.0.1:" + parley.port();
  }

  private ChatClient connect(Map<String, String> auth, String cookie) {
    ChatClient client = ChatClient.signedIn(parley.port(), auth, cookie);
    clients.add(client);
    return client;
  }

  @Test
  void anAccountChatsWithItsCookieOrItsTokens() throws Exception {
    start();
    register("ada");
    String cookie = signIn("ada");

    JSONObject session = connect(Map.of(), cookie).session();
    assertThat(session.getJSONObject("user").getString("name")).isEqualTo("ada");
    assertThat(session.has("guestKey")).as("an account has no guest key").isFalse();
    assertThat(ChatServerIT.generalId(session)).isNotEmpty();

    String accessToken = json(post("/api/v1/auth/token", "", "Cookie", cookie, "Origin", origin))
        .get("accessToken").asText();
    ChatClient viaAccessToken = connect(Map.of("token", accessToken), null);
    assertThat(viaAccessToken.session().getJSONObject("user").getString("name")).isEqualTo("ada");
    ChatServerIT.send(viaAccessToken, ChatServerIT.generalId(session), "sent with an access token");

    String pat = json(post("/api/v1/auth/tokens", "{\"name\":\"bot\"}", "Cookie", cookie, "Origin", origin))
        .get("secret").asText();
    ChatClient viaPat = connect(Map.of("token", pat), null);
    assertThat(viaPat.session().getJSONObject("user").getString("name")).isEqualTo("ada");
  }

  @Test
  void aTokenThatProvesNothingIsRefusedAsUnauthorized() throws Exception {
    start();
    for (String token : List.of("not a token", "parley_pat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")) {
      ChatClient client = connect(Map.of("token", token, "name", "sneaky"), null);
      assertThat(client.connectError().toString()).as("token %s", token).contains("unauthorized");
    }
  }

  @Test
  void aGuestCannotTakeAnAccountsName() throws Exception {
    start();
    register("grace");
    ChatClient impostor = connect(Map.of("name", "Grace"), null);
    assertThat(impostor.connectError().toString()).contains("name_taken");
  }

  @Test
  void withGuestsOffOnlyAccountsGetIn() throws Exception {
    start("--guests", "false");
    ChatClient guest = connect(Map.of("name", "visitor"), null);
    assertThat(guest.connectError().toString()).contains("unauthorized");
    ChatClient staleCookie = connect(Map.of("name", "visitor"), "parley_session=" + "A".repeat(43));
    assertThat(staleCookie.connectError().toString()).contains("unauthorized");

    register("ada");
    assertThat(connect(Map.of(), signIn("ada")).session().getJSONObject("user").getString("name")).isEqualTo("ada");
  }

  @Test
  void signingOutClosesTheConnectionsOfThatSessionOnly() throws Exception {
    start();
    register("ada");
    String first = signIn("ada");
    String second = signIn("ada");
    ChatClient tab = connect(Map.of(), first);
    tab.session();
    ChatClient otherDevice = connect(Map.of(), second);
    otherDevice.session();

    HttpResponse<String> out = post("/api/v1/auth/signout", "", "Cookie", first, "Origin", origin);
    assertThat(out.statusCode()).as(out.body()).isBetween(200, 204);

    assertThat(tab.nextObject("signed_out").getString("reason")).isEqualTo("signed out");
    assertThat(tab.next(Socket.EVENT_DISCONNECT)).as("not a drop the client would recover from")
        .isEqualTo("io server disconnect");
    assertThat(otherDevice.request("rooms:list").getBoolean("ok")).as("the other session stays").isTrue();
    assertThat(otherDevice.queue("signed_out")).isEmpty();
  }

  @Test
  void aPasswordChangeClosesTheOtherSessionsAndEveryPersonalToken() throws Exception {
    start();
    register("ada");
    String keeper = signIn("ada");
    String other = signIn("ada");
    String pat = json(post("/api/v1/auth/tokens", "{\"name\":\"bot\"}", "Cookie", keeper, "Origin", origin))
        .get("secret").asText();
    ChatClient kept = connect(Map.of(), keeper);
    kept.session();
    ChatClient closed = connect(Map.of(), other);
    closed.session();
    ChatClient bot = connect(Map.of("token", pat), null);
    bot.session();

    HttpResponse<String> changed = post("/api/v1/auth/password",
        "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"an even better passphrase\"}",
        "Cookie", keeper, "Origin", origin);
    assertThat(changed.statusCode()).as(changed.body()).isBetween(200, 204);

    assertThat(closed.next(Socket.EVENT_DISCONNECT)).isEqualTo("io server disconnect");
    assertThat(bot.nextObject("signed_out").getString("reason")).isEqualTo("token revoked");
    assertThat(bot.next(Socket.EVENT_DISCONNECT)).isEqualTo("io server disconnect");
    assertThat(kept.request("rooms:list").getBoolean("ok")).as("the session that changed it stays").isTrue();

    ChatClient again = connect(Map.of("token", pat), null);
    assertThat(again.connectError().toString()).as("the revoked token opens nothing").contains("unauthorized");
  }

  @Test
  void revokingAPersonalTokenClosesItsConnectionsWithinSeconds() throws Exception {
    start();
    register("ada");
    String cookie = signIn("ada");
    JsonNode created = json(post("/api/v1/auth/tokens", "{\"name\":\"bot\"}", "Cookie", cookie, "Origin", origin));
    ChatClient bot = connect(Map.of("token", created.get("secret").asText()), null);
    bot.session();

    long start = System.nanoTime();
    HttpResponse<String> revoked = send("DELETE", "/api/v1/auth/tokens/" + created.at("/token/id").asText(), null,
        "Cookie", cookie, "Origin", origin);
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
    assertThat(bot.next(Socket.EVENT_DISCONNECT)).isEqualTo("io server disconnect");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("within 5 s").isLessThan(5);
  }

  @Test
  void aDroppedConnectionOfASignedOutSessionIsNotRecovered() throws Exception {
    NodeScript.requireClient();
    start();
    register("ada");
    String cookie = signIn("ada");
    try (NodeScript node = NodeScript.start("auth-recovery.js", origin, "cookie=" + cookie)) {
      assertThat(node.expect("dropped").get("user").asText()).isEqualTo("ada");
      HttpResponse<String> out = post("/api/v1/auth/signout", "", "Cookie", cookie, "Origin", origin);
      assertThat(out.statusCode()).as(out.body()).isBetween(200, 204);
      node.send("signed-out");
      JsonNode result = node.expect("result");
      node.awaitSuccess();

      assertThat(result.at("/reconnected/recovered").asBoolean()).as("recovered, then checked: %s", result).isTrue();
      assertThat(result.at("/signedOut/reason").asText()).isEqualTo("signed out");
      assertThat(result.get("disconnects").get(1).asText()).isEqualTo("io server disconnect");
      assertThat(result.get("active").asBoolean()).as("the client does not try again by itself").isFalse();
    }
  }

  @Test
  void anAdminNamedAtStartModeratesARoomItIsNotIn() throws Exception {
    start();
    register("root");
    parley.close();
    start("--admins", "ROOT");
    String cookie = signIn("root");
    assertThat(json(send("GET", "/api/v1/auth/me", null, "Cookie", cookie)).at("/user/role").asText())
        .isEqualTo("admin");

    ChatClient ada = connect(Map.of("name", "ada"), null);
    String adaId = ada.session().getJSONObject("user").getString("id");
    JSONObject created = ada.request("room:create", "name", "side");
    String side = created.getJSONObject("room").getString("id");
    ChatClient bob = connect(Map.of("name", "bob"), null);
    String bobId = bob.session().getJSONObject("user").getString("id");
    assertThat(bob.request("room:join", "roomId", side).getBoolean("ok")).isTrue();

    ChatClient root = connect(Map.of(), cookie);
    root.session();
    JSONObject kicked = root.request("room:kick", "roomId", side, "userId", bobId);
    assertThat(kicked.getBoolean("ok")).as("%s", kicked).isTrue();
    assertThat(bob.nextObject("room:removed").getString("roomId")).isEqualTo(side);

    ChatClient plain = connect(Map.of("name", "cy"), null);
    plain.session();
    JSONObject refused = plain.request("room:kick", "roomId", side, "userId", adaId);
    assertThat(refused.getBoolean("ok")).as("a guest is no admin: %s", refused).isFalse();
  }

  // ---- the accounts API ------------------------------------------------------------------------

  private void register(String name) throws Exception {
    HttpResponse<String> r = post("/api/v1/auth/register",
        "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /** Signs in; returns the Cookie header to send. */
  private String signIn(String name) throws Exception {
    HttpResponse<String> r = post("/api/v1/auth/signin",
        "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    List<String> all = new ArrayList<>(List.of(headers));
    if (!body.isEmpty()) {
      all.addAll(List.of("Content-Type", "application/json"));
    }
    return send("POST", path, body, all.toArray(String[]::new));
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    return JSON.readTree(response.body());
  }
}
