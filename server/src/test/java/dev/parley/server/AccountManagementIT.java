package dev.parley.server;

import static dev.parley.server.AccountsHttp.PASSWORD;
import static dev.parley.server.AccountsHttp.error;
import static dev.parley.server.AccountsHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.socket.client.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account-management routes of a real node, through a real HTTP client and the official
 * Socket.IO Java client: the list of one's sessions, revoking one of them, deactivating one's
 * own account, and admins deactivating another's. Revoked and deactivated credentials close the
 * chat connections they opened.
 */
@Timeout(90)
class AccountManagementIT {
  private static final String DEACTIVATE_BODY = "{\"password\":\"" + PASSWORD + "\"}";

  @TempDir
  Path dir;
  private Parley parley;
  private AccountsHttp api;
  private final List<ChatClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    if (parley != null) {
      parley.close();
    }
  }

  private void start(String... extra) {
    parley = ParleyHarness.start(dir.resolve("data"), extra);
    api = new AccountsHttp(parley.port());
  }

  private ChatClient chat(String cookie) throws Exception {
    return chat(cookie, new JSONObject[1]);
  }

  /** A connected chat client; {@code session[0]} receives its session event. */
  private ChatClient chat(String cookie, JSONObject[] session) throws Exception {
    ChatClient client = ChatClient.signedIn(parley.port(), Map.of(), cookie);
    clients.add(client);
    session[0] = client.session();
    return client;
  }

  private JsonNode sessions(String cookie) throws Exception {
    return json(api.get("/api/v1/auth/sessions", "Cookie", cookie)).get("sessions");
  }

  /** The id of the session that {@code cookie} signs in, as the list shows it. */
  private String currentId(String cookie) throws Exception {
    for (JsonNode s : sessions(cookie)) {
      if (s.get("current").asBoolean()) {
        return s.get("id").asText();
      }
    }
    throw new AssertionError("no current session in " + sessions(cookie));
  }

  // ---- sessions --------------------------------------------------------------------------------

  @Test
  void theListShowsEachLiveSessionWithItsRefreshTokensAndWhichIsCurrent() throws Exception {
    start();
    api.register("ada");
    String laptop = api.signIn("ada", "User-Agent", "Laptop browser");
    String phone = api.signIn("ada", "User-Agent", "Phone app");
    JsonNode tokens = json(api.postAs(phone, "/api/v1/auth/token", ""));
    json(api.post("/api/v1/auth/token/refresh", "{\"refreshToken\":\"" + tokens.get("refreshToken").asText() + "\"}"));
    api.register("bob");
    api.signIn("bob");

    JsonNode list = sessions(laptop);

    assertThat(list).hasSize(2);
    JsonNode newest = list.get(0);
    JsonNode oldest = list.get(1);
    assertThat(newest.get("userAgent").asText()).isEqualTo("Phone app");
    assertThat(newest.get("current").asBoolean()).isFalse();
    assertThat(oldest.get("userAgent").asText()).isEqualTo("Laptop browser");
    assertThat(oldest.get("current").asBoolean()).isTrue();
    assertThat(oldest.get("refreshTokens")).isEmpty();
    for (String field : List.of("id", "createdAt", "lastSeenAt", "expiresAt")) {
      assertThat(newest.has(field)).as(field).isTrue();
    }
    JsonNode family = newest.get("refreshTokens");
    assertThat(family).as("one family, rotated once").hasSize(1);
    assertThat(family.get(0).has("lastUsedAt")).isTrue();
    assertThat(family.get(0).get("expiresAt").asLong()).isEqualTo(newest.get("expiresAt").asLong());

    JsonNode viaAccessToken = json(api.get("/api/v1/auth/sessions", "Authorization",
        "Bearer " + tokens.get("accessToken").asText())).get("sessions");
    assertThat(viaAccessToken.get(0).get("current").asBoolean()).as("an access token's session is current").isTrue();
  }

  @Test
  void revokingASessionSignsItOutAndClosesItsChatConnection() throws Exception {
    start();
    api.register("ada");
    String here = api.signIn("ada");
    String there = api.signIn("ada");
    ChatClient thereChat = chat(there);
    ChatClient hereChat = chat(here);
    String thereId = currentId(there);

    HttpResponse<String> revoked = api.send("DELETE", "/api/v1/auth/sessions/" + thereId, null, "Cookie", here,
        "Origin", api.origin);

    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
    assertThat(revoked.headers().firstValue("set-cookie")).as("not the session that asked").isEmpty();
    assertThat(thereChat.nextObject("signed_out").getString("reason")).isEqualTo("signed out");
    assertThat(thereChat.next(Socket.EVENT_DISCONNECT)).isEqualTo("io server disconnect");
    assertThat(error(api.get("/api/v1/auth/me", "Cookie", there), 401)).isEqualTo("unauthorized");
    assertThat(hereChat.request("rooms:list").getBoolean("ok")).as("the other session stays").isTrue();
    assertThat(sessions(here)).hasSize(1);
    assertThat(error(api.send("DELETE", "/api/v1/auth/sessions/" + thereId, null, "Cookie", here, "Origin",
        api.origin), 404)).as("revoked already").isEqualTo("not_found");
  }

  @Test
  void revokingTheCurrentSessionClearsItsCookie() throws Exception {
    start();
    api.register("ada");
    String cookie = api.signIn("ada");

    HttpResponse<String> revoked = api.send("DELETE", "/api/v1/auth/sessions/" + currentId(cookie), null,
        "Cookie", cookie, "Origin", api.origin);

    assertThat(revoked.statusCode()).isEqualTo(204);
    assertThat(revoked.headers().firstValue("set-cookie").orElseThrow()).startsWith("parley_session=;");
    assertThat(api.get("/api/v1/auth/me", "Cookie", cookie).statusCode()).isEqualTo(401);
  }

  @Test
  void anotherUsersSessionIsNotFoundAndStaysSignedIn() throws Exception {
    start();
    api.register("ada");
    api.register("bob");
    String ada = api.signIn("ada");
    String bob = api.signIn("bob");

    HttpResponse<String> stolen = api.send("DELETE", "/api/v1/auth/sessions/" + currentId(bob), null,
        "Cookie", ada, "Origin", api.origin);

    assertThat(error(stolen, 404)).isEqualTo("not_found");
    assertThat(api.get("/api/v1/auth/me", "Cookie", bob).statusCode()).isEqualTo(200);
    assertThat(error(api.send("DELETE", "/api/v1/auth/sessions/" + "0".repeat(64), null, "Cookie", ada,
        "Origin", api.origin), 404)).isEqualTo("not_found");
    assertThat(error(api.send("DELETE", "/api/v1/auth/sessions/not-an-id", null, "Cookie", ada,
        "Origin", api.origin), 400)).as("a malformed id, as everywhere in the API").isEqualTo("invalid_argument");
  }

  @Test
  void sessionRoutesNeedASignInAndASameSiteRequest() throws Exception {
    start();
    api.register("ada");
    String ada = api.signIn("ada");
    String id = currentId(ada);

    assertThat(error(api.get("/api/v1/auth/sessions"), 401)).isEqualTo("unauthorized");
    assertThat(error(api.send("DELETE", "/api/v1/auth/sessions/" + id, null), 401)).isEqualTo("unauthorized");
    assertThat(error(api.send("DELETE", "/api/v1/auth/sessions/" + id, null, "Cookie", ada), 403))
        .as("cookie without Origin").isEqualTo("forbidden");
    assertThat(error(api.send("DELETE", "/api/v1/auth/sessions/" + id, null, "Cookie", ada, "Origin",
        "https://evil.example"), 403)).isEqualTo("forbidden");
    assertThat(error(api.post("/api/v1/auth/sessions", "", "Cookie", ada, "Origin", api.origin), 405))
        .isEqualTo("method_not_allowed");
    assertThat(api.get("/api/v1/auth/me", "Cookie", ada).statusCode()).as("still signed in").isEqualTo(200);
  }

  // ---- deactivation ----------------------------------------------------------------------------

  @Test
  void deactivatingOnesAccountClosesEveryConnectionKeepsItsMessagesAndEndsSigningIn() throws Exception {
    start();
    api.register("ada");
    String ada = api.signIn("ada");
    String other = api.signIn("ada");
    JSONObject[] session = new JSONObject[1];
    ChatClient adaChat = chat(ada, session);
    ChatClient otherChat = chat(other);
    String general = ChatServerIT.generalId(session[0]);
    ChatServerIT.send(adaChat, general, "a message that stays");

    assertThat(error(api.postAs(ada, "/api/v1/auth/deactivate", "{\"password\":\"wrong password\"}"), 403))
        .isEqualTo("forbidden");
    HttpResponse<String> deactivated = api.postAs(ada, "/api/v1/auth/deactivate", DEACTIVATE_BODY);

    assertThat(deactivated.statusCode()).as(deactivated.body()).isEqualTo(204);
    assertThat(deactivated.headers().firstValue("set-cookie").orElseThrow()).startsWith("parley_session=;");
    assertThat(adaChat.next(Socket.EVENT_DISCONNECT)).isEqualTo("io server disconnect");
    assertThat(otherChat.next(Socket.EVENT_DISCONNECT)).isEqualTo("io server disconnect");
    assertThat(api.get("/api/v1/auth/me", "Cookie", other).statusCode()).isEqualTo(401);
    HttpResponse<String> again = api.post("/api/v1/auth/signin", "{\"username\":\"ada\",\"password\":\"" + PASSWORD
        + "\"}");
    assertThat(error(again, 401)).isEqualTo("invalid_credentials");

    ChatClient guest = ChatClient.chat(parley.port(), "visitor");
    clients.add(guest);
    guest.session();
    JSONArray history = guest.request("history", "roomId", general).getJSONArray("messages");
    boolean kept = false;
    for (int i = 0; i < history.length(); i++) {
      JSONObject m = history.getJSONObject(i);
      kept |= "a message that stays".equals(m.optString("text"));
    }
    assertThat(kept).as("the messages stay: %s", history).isTrue();
  }

  @Test
  void deactivationNeedsTheCurrentPasswordASignInAndASameSiteRequest() throws Exception {
    start();
    api.register("ada");
    String ada = api.signIn("ada");

    assertThat(error(api.post("/api/v1/auth/deactivate", DEACTIVATE_BODY), 401)).isEqualTo("unauthorized");
    assertThat(error(api.post("/api/v1/auth/deactivate", DEACTIVATE_BODY, "Cookie", ada), 403)).isEqualTo("forbidden");
    assertThat(error(api.post("/api/v1/auth/deactivate", DEACTIVATE_BODY, "Cookie", ada, "Origin",
        "https://evil.example"), 403)).isEqualTo("forbidden");
    assertThat(error(api.postAs(ada, "/api/v1/auth/deactivate", "{}"), 400)).isEqualTo("invalid_argument");
    String pat = json(api.postAs(ada, "/api/v1/auth/tokens", "{\"name\":\"bot\"}")).get("secret").asText();
    assertThat(error(api.post("/api/v1/auth/deactivate", DEACTIVATE_BODY, "Authorization", "Bearer " + pat), 403))
        .as("not with a personal access token").isEqualTo("forbidden");
    assertThat(api.get("/api/v1/auth/me", "Cookie", ada).statusCode()).as("still active").isEqualTo(200);
  }

  @Test
  void anAdminDeactivatesAnotherAccountAndNoOneElseMay() throws Exception {
    start();
    api.register("root");
    parley.close();
    start("--admins", "root");
    api.register("bob");
    api.register("cy");
    String root = api.signIn("root");
    String bob = api.signIn("bob");
    String cy = api.signIn("cy");
    String bobId = json(api.get("/api/v1/auth/me", "Cookie", bob)).at("/user/id").asText();
    ChatClient bobChat = chat(bob);

    assertThat(error(api.postAs(cy, "/api/v1/admin/users/" + bobId + "/deactivate", ""), 403))
        .as("not an admin").isEqualTo("forbidden");
    assertThat(error(api.post("/api/v1/admin/users/" + bobId + "/deactivate", ""), 401)).isEqualTo("unauthorized");
    assertThat(error(api.post("/api/v1/admin/users/" + bobId + "/deactivate", "", "Cookie", root), 403))
        .as("cookie without Origin").isEqualTo("forbidden");
    assertThat(api.get("/api/v1/auth/me", "Cookie", bob).statusCode()).isEqualTo(200);

    HttpResponse<String> done = api.postAs(root, "/api/v1/admin/users/" + bobId + "/deactivate", "");

    assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
    assertThat(bobChat.next(Socket.EVENT_DISCONNECT)).isEqualTo("io server disconnect");
    assertThat(api.get("/api/v1/auth/me", "Cookie", bob).statusCode()).isEqualTo(401);
    assertThat(error(api.postAs(root, "/api/v1/admin/users/" + bobId + "/deactivate", ""), 404))
        .as("deactivated already").isEqualTo("not_found");
    assertThat(error(api.postAs(root, "/api/v1/admin/users/12345/deactivate", ""), 404)).isEqualTo("not_found");
    assertThat(error(api.postAs(root, "/api/v1/admin/users/bob/deactivate", ""), 400))
        .as("a malformed id, as everywhere in the API").isEqualTo("invalid_argument");
    assertThat(api.get("/api/v1/auth/me", "Cookie", cy).statusCode()).as("others untouched").isEqualTo(200);
  }
}
