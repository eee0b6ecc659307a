package dev.parley.server;

import static dev.parley.server.ApiClient.error;
import static dev.parley.server.ApiClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.ApiClient.User;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat over HTTP (docs/api.md) against a real node on SQLite, through a real HTTP client and,
 * where delivery matters, a real Socket.IO client: every route's happy path, the same access
 * rules as the Socket.IO API (a private room or DM is a 404 to outsiders, as a missing room is),
 * and bad input refused with 400.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatApiIT {
  static final String FOREIGN = "https://evil.example";

  @TempDir
  static Path dir;
  Parley parley;
  ApiClient api;
  final List<ChatClient> sockets = new ArrayList<>();
  private int rooms;

  @BeforeAll
  void start() throws Exception {
    parley = startNode();
    api = new ApiClient(parley.port());
  }

  Parley startNode() {
    return ParleyHarness.start(dir.resolve("data"));
  }

  @AfterAll
  void stop() {
    sockets.forEach(ChatClient::close);
    if (parley != null) {
      parley.close();
      parley = null;
    }
  }

  // ---- me and rooms --------------------------------------------------------------------------------

  @Test
  void meIsTheAccountWithItsRooms() throws Exception {
    User ada = api.register("ada");

    JsonNode me = ok(api.get(ada, "/api/v1/me"), 200);

    assertThat(me.get("user").get("id").asText()).isEqualTo(ada.id());
    assertThat(me.get("user").get("name").asText()).isEqualTo(ada.name());
    assertThat(me.get("user").get("kind").asText()).isEqualTo("account");
    assertThat(me.get("user").get("serverAdmin").asBoolean()).isFalse();
    JsonNode general = only(me.get("rooms"), "general");
    assertThat(general.get("role").asText()).isEqualTo("member");
    assertThat(general.get("joined").asBoolean()).isTrue();
    assertThat(general.has("unread")).isTrue();
    assertThat(general.has("lastSeq")).isTrue();
    assertThat(general.get("id").isTextual()).isTrue();
  }

  @Test
  void roomsAreCreatedListedShownJoinedAndLeft() throws Exception {
    User ada = api.register("ada");
    User bob = api.register("bob");
    String name = roomName();

    HttpResponse<String> created = api.post(ada, "/api/v1/rooms",
        "{\"name\":\"" + name + "\",\"topic\":\"all about it\"}");
    JsonNode room = ok(created, 201).get("room");
    String id = room.get("id").asText();
    assertThat(created.headers().firstValue("location")).hasValue("/api/v1/rooms/" + id);
    assertThat(room.get("kind").asText()).isEqualTo("public");
    assertThat(room.get("topic").asText()).isEqualTo("all about it");
    assertThat(room.get("role").asText()).isEqualTo("owner");
    assertThat(names(ok(created, 201).get("members"))).containsExactly(ada.name());

    JsonNode listed = only(ok(api.get(bob, "/api/v1/rooms"), 200).get("rooms"), name);
    assertThat(listed.get("joined").asBoolean()).isFalse();
    assertThat(listed.has("role")).isFalse();
    JsonNode shown = ok(api.get(bob, "/api/v1/rooms/" + id), 200).get("room");
    assertThat(shown.get("name").asText()).isEqualTo(name);
    assertThat(shown.get("joined").asBoolean()).isFalse();
    assertThat(shown.get("memberCount").asInt()).isEqualTo(1);

    JsonNode joined = ok(api.post(bob, "/api/v1/rooms/" + id + "/join", null), 200);
    assertThat(joined.get("room").get("role").asText()).isEqualTo("member");
    assertThat(names(joined.get("members"))).containsExactlyInAnyOrder(ada.name(), bob.name());
    assertThat(ok(api.get(bob, "/api/v1/rooms/" + id), 200).get("room").get("joined").asBoolean()).isTrue();
    assertThat(names(ok(api.get(bob, "/api/v1/me"), 200).get("rooms"))).contains(name);
    assertThat(ok(api.post(bob, "/api/v1/rooms/" + id + "/join", null), 200).get("room").get("role").asText())
        .as("joining again changes nothing").isEqualTo("member");

    assertThat(api.post(bob, "/api/v1/rooms/" + id + "/leave", null).statusCode()).isEqualTo(204);
    assertThat(ok(api.get(bob, "/api/v1/rooms/" + id), 200).get("room").get("joined").asBoolean()).isFalse();
    assertThat(names(ok(api.get(bob, "/api/v1/me"), 200).get("rooms"))).doesNotContain(name);
    assertThat(error(api.post(bob, "/api/v1/rooms/" + id + "/leave", null), 403)).isEqualTo("forbidden");
    assertThat(error(api.post(ada, "/api/v1/rooms", "{\"name\":\"" + name + "\"}"), 409)).isEqualTo("conflict");
  }

  // ---- messages ------------------------------------------------------------------------------------

  @Test
  void aMessageSentOverHttpReachesTheRoomsSocketsWithItsSeqOnceOnly() throws Exception {
    User ada = api.register("ada");
    User bob = api.register("bob");
    String id = createRoom(ada, false);
    ok(api.post(bob, "/api/v1/rooms/" + id + "/join", null), 200);
    ChatClient bobSocket = socket(bob);
    assertThat(bobSocket.session().get("rooms").toString()).contains(id);

    HttpResponse<String> sent = api.post(ada, "/api/v1/rooms/" + id + "/messages",
        "{\"text\":\"hello over HTTP\",\"clientMsgId\":\"m-1\"}");
    JsonNode ack = ok(sent, 201);
    assertThat(ack.get("roomId").asText()).isEqualTo(id);
    assertThat(ack.get("id").isTextual()).isTrue();
    assertThat(ack.get("ts").asLong()).isPositive();
    long seq = ack.get("seq").asLong();
    JSONObject delivered = bobSocket.nextObject("message");
    while (!delivered.optString("kind").equals("text")) {
      delivered = bobSocket.nextObject("message");
    }
    assertThat(delivered.getString("id")).isEqualTo(ack.get("id").asText());
    assertThat(delivered.getLong("seq")).isEqualTo(seq);
    assertThat(delivered.getString("text")).isEqualTo("hello over HTTP");
    assertThat(delivered.getJSONObject("user").getString("name")).isEqualTo(ada.name());

    JsonNode again = ok(api.post(ada, "/api/v1/rooms/" + id + "/messages",
        "{\"text\":\"hello over HTTP\",\"clientMsgId\":\"m-1\"}"), 201);
    assertThat(again).as("the same clientMsgId is the same message").isEqualTo(ack);
    JsonNode next = ok(api.post(ada, "/api/v1/rooms/" + id + "/messages",
        "{\"text\":\"second\",\"clientMsgId\":\"m-2\"}"), 201);
    assertThat(next.get("seq").asLong()).isEqualTo(seq + 1);
    JSONObject after = bobSocket.nextObject("message");
    assertThat(after.getString("text")).as("the resend was not delivered again").isEqualTo("second");
    assertThat(after.getLong("seq")).isEqualTo(seq + 1);

    JsonNode history = ok(api.get(bob, "/api/v1/rooms/" + id + "/messages"), 200);
    List<String> texts = new ArrayList<>();
    history.get("messages").forEach(m -> texts.add(m.get("text").asText()));
    assertThat(texts).containsSubsequence("hello over HTTP", "second");
    assertThat(texts.stream().filter("hello over HTTP"::equals)).hasSize(1);
  }

  @Test
  void historyPagesBackAndForwardLikeTheHistoryEvent() throws Exception {
    User ada = api.register("ada");
    String id = createRoom(ada, false);
    List<Long> seqs = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      seqs.add(ok(api.post(ada, "/api/v1/rooms/" + id + "/messages",
          "{\"text\":\"n" + i + "\",\"clientMsgId\":\"h-" + i + "\"}"), 201).get("seq").asLong());
    }
    String messages = "/api/v1/rooms/" + id + "/messages";

    JsonNode newest = ok(api.get(ada, messages + "?limit=2"), 200);
    assertThat(texts(newest)).containsExactly("n4", "n5");
    assertThat(newest.get("hasMore").asBoolean()).isTrue();
    JsonNode older = ok(api.get(ada, messages + "?limit=2&before=" + seqs.get(3)), 200);
    assertThat(texts(older)).containsExactly("n2", "n3");
    JsonNode newer = ok(api.get(ada, messages + "?after=" + seqs.get(2) + "&limit=10"), 200);
    assertThat(texts(newer)).containsExactly("n4", "n5");
    assertThat(newer.get("hasMore").asBoolean()).isFalse();
    JsonNode first = ok(api.get(ada, messages + "?after=0&limit=1"), 200);
    assertThat(first.get("messages").get(0).get("seq").asLong()).isEqualTo(1);
    assertThat(first.get("messages").get(0).get("kind").asText()).as("the owner's join notice").isEqualTo("join");

    for (String query : List.of("limit=0", "limit=101", "limit=abc", "limit=-1", "limit=1.5", "before=-1",
        "before=x", "after=99999999999999999999", "before=1&after=1", "limit=1&limit=2", "before=")) {
      assertThat(error(api.get(ada, messages + "?" + query), 400)).as(query).isEqualTo("invalid_argument");
    }
    String[] malformed = api.rawGet(ada, messages + "?before=%zz");
    assertThat(malformed[0]).isEqualTo("HTTP/1.1 400 Bad Request");
    assertThat(malformed[1]).contains("invalid_argument");
  }

  @Test
  void readMovesTheReadPosition() throws Exception {
    User ada = api.register("ada");
    User bob = api.register("bob");
    String id = createRoom(ada, false);
    ok(api.post(bob, "/api/v1/rooms/" + id + "/join", null), 200);
    long seq = 0;
    for (int i = 1; i <= 3; i++) {
      seq = ok(api.post(ada, "/api/v1/rooms/" + id + "/messages",
          "{\"text\":\"r" + i + "\",\"clientMsgId\":\"r-" + i + "\"}"), 201).get("seq").asLong();
    }
    assertThat(ok(api.get(bob, "/api/v1/rooms/" + id), 200).get("room").get("unread").asLong())
        .isGreaterThanOrEqualTo(3);

    JsonNode read = ok(api.post(bob, "/api/v1/rooms/" + id + "/read", "{\"seq\":" + (seq - 1) + "}"), 200);

    assertThat(read.get("unread").asLong()).isEqualTo(1);
    assertThat(read.get("lastReadSeq").asLong()).isEqualTo(seq - 1);
    JsonNode mine = only(ok(api.get(bob, "/api/v1/me"), 200).get("rooms"), roomNameOf(ada, id));
    assertThat(mine.get("unread").asLong()).isEqualTo(1);
    assertThat(mine.get("lastReadSeq").asLong()).isEqualTo(seq - 1);
  }

  // ---- members -------------------------------------------------------------------------------------

  @Test
  void ownersInvitePromoteAndKickAndAKickedMemberLosesAccessAtOnce() throws Exception {
    User ada = api.register("ada");
    User bob = api.register("bob");
    User cat = api.register("cat");
    String id = createRoom(ada, true);
    String room = "/api/v1/rooms/" + id;

    JsonNode invited = ok(api.post(ada, room + "/members", "{\"name\":\"" + bob.name() + "\"}"), 200).get("user");
    assertThat(invited.get("id").asText()).isEqualTo(bob.id());
    assertThat(invited.get("role").asText()).isEqualTo("member");
    assertThat(ok(api.post(ada, room + "/members", "{\"userId\":\"" + cat.id() + "\"}"), 200).get("user")
        .get("name").asText()).isEqualTo(cat.name());
    JsonNode members = ok(api.get(bob, room + "/members"), 200).get("members");
    assertThat(names(members)).containsExactlyInAnyOrder(ada.name(), bob.name(), cat.name());
    assertThat(roleOf(members, ada.name())).isEqualTo("owner");
    assertThat(members.get(0).has("online")).isTrue();
    assertThat(error(api.post(bob, room + "/members", "{\"name\":\"" + ada.name() + "\"}"), 403))
        .as("a plain member does not invite").isEqualTo("forbidden");

    JsonNode promoted = ok(api.call(ada, "PUT", room + "/members/" + bob.id() + "/role", "{\"role\":\"moderator\"}"),
        200).get("user");
    assertThat(promoted.get("role").asText()).isEqualTo("moderator");
    assertThat(roleOf(ok(api.get(ada, room + "/members"), 200).get("members"), bob.name())).isEqualTo("moderator");
    assertThat(error(api.call(bob, "PUT", room + "/members/" + cat.id() + "/role", "{\"role\":\"owner\"}"), 403))
        .as("only owners set roles").isEqualTo("forbidden");

    ok(api.post(cat, room + "/messages", "{\"text\":\"still here\",\"clientMsgId\":\"k-1\"}"), 201);
    assertThat(api.call(bob, "DELETE", room + "/members/" + cat.id(), null).statusCode())
        .as("a moderator removes a plain member").isEqualTo(204);

    assertOutsider(cat, id);
    assertThat(names(ok(api.get(ada, room + "/members"), 200).get("members"))).doesNotContain(cat.name());
    assertThat(error(api.call(ada, "DELETE", room + "/members/" + cat.id(), null), 404)).isEqualTo("not_found");
  }

  @Test
  void aDmIsOpenedByIdOrNameAndIsInvisibleToEveryoneElse() throws Exception {
    User ada = api.register("ada");
    User bob = api.register("bob");
    User eve = api.register("eve");

    JsonNode dm = ok(api.post(ada, "/api/v1/dms", "{\"name\":\"" + bob.name() + "\"}"), 200).get("room");
    String id = dm.get("id").asText();
    assertThat(dm.get("kind").asText()).isEqualTo("dm");
    assertThat(dm.get("peer").get("name").asText()).isEqualTo(bob.name());
    JsonNode again = ok(api.post(bob, "/api/v1/dms", "{\"userId\":\"" + ada.id() + "\"}"), 200).get("room");
    assertThat(again.get("id").asText()).as("one DM per pair").isEqualTo(id);
    assertThat(again.get("peer").get("name").asText()).isEqualTo(ada.name());
    assertThat(ids(ok(api.get(bob, "/api/v1/me"), 200).get("rooms"))).contains(id);
    assertThat(ids(ok(api.get(bob, "/api/v1/rooms"), 200).get("rooms"))).contains(id);
    ok(api.post(bob, "/api/v1/rooms/" + id + "/messages", "{\"text\":\"psst\",\"clientMsgId\":\"d-1\"}"), 201);
    assertThat(texts(ok(api.get(ada, "/api/v1/rooms/" + id + "/messages"), 200))).contains("psst");

    assertOutsider(eve, id);
    assertThat(error(api.post(ada, "/api/v1/rooms/" + id + "/members", "{\"name\":\"" + eve.name() + "\"}"), 403))
        .as("nobody invites to a DM").isEqualTo("forbidden");
    assertThat(error(api.post(ada, "/api/v1/dms", "{\"userId\":\"" + ada.id() + "\"}"), 400))
        .isEqualTo("invalid_argument");
    assertThat(error(api.post(ada, "/api/v1/dms", "{\"name\":\"nobody-at-all\"}"), 404)).isEqualTo("not_found");
    assertThat(error(api.post(ada, "/api/v1/dms", "{}"), 400)).isEqualTo("invalid_argument");
  }

  @Test
  void aPrivateRoomIsA404ToANonMemberExactlyLikeAMissingRoom() throws Exception {
    User ada = api.register("ada");
    User eve = api.register("eve");
    String id = createRoom(ada, true);
    ok(api.post(ada, "/api/v1/rooms/" + id + "/messages", "{\"text\":\"secret\",\"clientMsgId\":\"p-1\"}"), 201);

    assertOutsider(eve, id);
  }

  /**
   * Everything {@code outsider} can ask about the room answers as for a room that does not exist,
   * and the room is in none of its lists.
   */
  private void assertOutsider(User outsider, String id) throws Exception {
    String missing = "/api/v1/rooms/987654321987654321";
    String room = "/api/v1/rooms/" + id;
    List<String[]> requests = List.of(new String[] {"GET", ""}, new String[] {"GET", "/messages"},
        new String[] {"POST", "/messages", "{\"text\":\"let me in\",\"clientMsgId\":\"x-" + id + "\"}"},
        new String[] {"POST", "/join"}, new String[] {"POST", "/leave"}, new String[] {"GET", "/members"},
        new String[] {"POST", "/members", "{\"name\":\"" + outsider.name() + "\"}"},
        new String[] {"POST", "/read", "{\"seq\":1}"}, new String[] {"DELETE", "/members/" + outsider.id()},
        new String[] {"PUT", "/members/" + outsider.id() + "/role", "{\"role\":\"owner\"}"});
    for (String[] r : requests) {
      String body = r.length > 2 ? r[2] : null;
      HttpResponse<String> hidden = api.call(outsider, r[0], room + r[1], body);
      HttpResponse<String> absent = api.call(outsider, r[0], missing + r[1], body);
      assertThat(error(hidden, 404)).as(r[0] + " " + r[1]).isEqualTo("not_found");
      assertThat(hidden.body()).as("%s %s reads like a missing room", r[0], r[1]).isEqualTo(absent.body());
    }
    assertThat(ids(ok(api.get(outsider, "/api/v1/rooms"), 200).get("rooms"))).doesNotContain(id);
    assertThat(ids(ok(api.get(outsider, "/api/v1/me"), 200).get("rooms"))).doesNotContain(id);
  }

  // ---- credentials ---------------------------------------------------------------------------------

  @Test
  void everyChatRouteNeedsACredential() throws Exception {
    int checked = 0;
    for (String route : parley.apiRoutes()) {
      String method = route.split(" ")[0];
      String path = route.split(" ")[1].replaceAll("\\{[A-Za-z]+}", "1");
      if (path.startsWith("/api/v1/auth/") || path.equals("/api/v1/openapi.json")) {
        continue;
      }
      String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
      String[] json = {"Content-Type", "application/json"};
      HttpResponse<String> none = api.send(method, path, body, body == null ? new String[0] : json);
      assertThat(error(none, 401)).as(route).isEqualTo("unauthorized");
      assertThat(none.headers().firstValue("www-authenticate")).as(route).isPresent();
      HttpResponse<String> forged = api.send(method, path, body, "Authorization", "Bearer not-a-token",
          "Content-Type", "application/json");
      assertThat(error(forged, 401)).as(route + " with a made-up token").isEqualTo("unauthorized");
      checked++;
    }
    assertThat(checked).isEqualTo(15);
  }

  @Test
  void aCookieSignedChangeNeedsTheServersOwnOrigin() throws Exception {
    User ada = api.register("ada");
    String name = roomName();
    String body = "{\"name\":\"" + name + "\"}";

    HttpResponse<String> noOrigin = api.send("POST", "/api/v1/rooms", body, "Cookie", ada.cookie(),
        "Content-Type", "application/json");
    assertThat(error(noOrigin, 403)).isEqualTo("forbidden");
    HttpResponse<String> foreign = api.send("POST", "/api/v1/rooms", body, "Cookie", ada.cookie(),
        "Content-Type", "application/json", "Origin", FOREIGN);
    assertThat(error(foreign, 403)).isEqualTo("forbidden");
    HttpResponse<String> foreignBearer = api.send("POST", "/api/v1/rooms", body, "Authorization",
        "Bearer " + ada.token(), "Content-Type", "application/json", "Origin", FOREIGN);
    assertThat(error(foreignBearer, 403)).as("no request from another site, whatever signs it in")
        .isEqualTo("forbidden");
    HttpResponse<String> form = api.send("POST", "/api/v1/rooms", "name=x", "Cookie", ada.cookie(),
        "Content-Type", "application/x-www-form-urlencoded", "Origin", api.origin);
    assertThat(error(form, 415)).isEqualTo("unsupported_media_type");
    String general = only(ok(api.send("GET", "/api/v1/rooms", null, "Cookie", ada.cookie()), 200).get("rooms"),
        "general").get("id").asText();
    assertThat(error(api.send("POST", "/api/v1/rooms/" + general + "/read", "{\"seq\":0}", "Cookie", ada.cookie(),
        "Content-Type", "application/json"), 403)).isEqualTo("forbidden");
    assertThat(names(ok(api.get(ada, "/api/v1/rooms"), 200).get("rooms"))).as("nothing was made")
        .doesNotContain(name);

    HttpResponse<String> sameSite = api.send("POST", "/api/v1/rooms", body, "Cookie", ada.cookie(),
        "Content-Type", "application/json", "Origin", api.origin);
    assertThat(sameSite.statusCode()).as(sameSite.body()).isEqualTo(201);
    HttpResponse<String> bearer = api.post(ada, "/api/v1/rooms", "{\"name\":\"" + roomName() + "\"}");
    assertThat(bearer.statusCode()).as("a bearer token needs no Origin").isEqualTo(201);
  }

  @Test
  void sendsAndOtherRequestsTakeFromTheUsersRateLimits() throws Exception {
    try (Parley limited = ParleyHarness.start(dir.resolve("limited"), "--rate-messages", "1",
        "--rate-message-burst", "2", "--rate-requests", "1")) {
      ApiClient slow = new ApiClient(limited.port());
      User ada = slow.register("ada");
      String id = ok(slow.post(ada, "/api/v1/rooms", "{\"name\":\"" + roomName() + "\"}"), 201)
          .get("room").get("id").asText();

      HttpResponse<String> refused = null;
      for (int i = 0; i < 10 && refused == null; i++) {
        HttpResponse<String> r = slow.post(ada, "/api/v1/rooms/" + id + "/messages",
            "{\"text\":\"t" + i + "\",\"clientMsgId\":\"rl-" + i + "\"}");
        if (r.statusCode() != 201) {
          refused = r;
        }
      }
      assertThat(refused).as("a burst of 2 messages a second").isNotNull();
      assertThat(error(refused, 429)).isEqualTo("rate_limited");
      assertThat(refused.headers().firstValue("retry-after")).hasValueSatisfying(v ->
          assertThat(Long.parseLong(v)).isPositive());
      assertThat(ApiClient.json(refused).get("error").get("retryAfterMs").asLong()).isPositive();

      HttpResponse<String> busy = null;
      for (int i = 0; i < 10 && busy == null; i++) {
        HttpResponse<String> r = slow.get(ada, "/api/v1/rooms");
        if (r.statusCode() != 200) {
          busy = r;
        }
      }
      assertThat(busy).as("2 requests, then 1 a second").isNotNull();
      assertThat(error(busy, 429)).isEqualTo("rate_limited");
      assertThat(busy.headers().firstValue("retry-after")).isPresent();
    }
  }

  // ---- bad input -----------------------------------------------------------------------------------

  @Test
  void fieldsOfTheWrongTypeAre400() throws Exception {
    User ada = api.register("ada");
    User bob = api.register("bob");
    String id = createRoom(ada, false);
    ok(api.post(bob, "/api/v1/rooms/" + id + "/join", null), 200);
    String room = "/api/v1/rooms/" + id;
    List<String[]> cases = new ArrayList<>();
    for (String wrong : List.of("{}", "[]", "42", "true", "[\"x\"]", "{\"$gt\":\"\"}")) {
      cases.add(new String[] {"POST", "/api/v1/rooms", "{\"name\":" + wrong + "}"});
      cases.add(new String[] {"POST", "/api/v1/rooms", "{\"name\":\"fine-" + rooms + "\",\"topic\":" + wrong + "}"});
      cases.add(new String[] {"POST", room + "/messages", "{\"text\":" + wrong + ",\"clientMsgId\":\"w\"}"});
      cases.add(new String[] {"POST", room + "/messages", "{\"text\":\"hi\",\"clientMsgId\":" + wrong + "}"});
      cases.add(new String[] {"POST", room + "/members", "{\"name\":" + wrong + "}"});
      cases.add(new String[] {"PUT", room + "/members/" + bob.id() + "/role", "{\"role\":" + wrong + "}"});
      cases.add(new String[] {"POST", "/api/v1/dms", "{\"name\":" + wrong + "}"});
      cases.add(new String[] {"POST", room + "/read", "{\"seq\":" + (wrong.equals("42") ? "-1" : wrong) + "}"});
    }
    cases.add(new String[] {"POST", "/api/v1/rooms", "{\"name\":\"x\",\"private\":\"yes\"}"});
    cases.add(new String[] {"POST", "/api/v1/dms", "{\"userId\":\"12ab\"}"});
    cases.add(new String[] {"POST", "/api/v1/dms", "{\"userId\":\"99999999999999999999\"}"});
    cases.add(new String[] {"PUT", room + "/members/" + bob.id() + "/role", "{\"role\":\"king\"}"});
    cases.add(new String[] {"POST", room + "/messages", "{\"text\":\"   \",\"clientMsgId\":\"blank\"}"});
    cases.add(new String[] {"POST", room + "/messages", "{\"text\":\"hi\"}"});
    cases.add(new String[] {"POST", room + "/messages", "{\"text\":\"hi\",\"clientMsgId\":\"a\",\"text\":\"b\"}"});
    cases.add(new String[] {"POST", room + "/messages", "[\"hi\"]"});
    cases.add(new String[] {"POST", room + "/messages", "{\"text\":\"hi\""});
    cases.add(new String[] {"POST", room + "/read", "{}"});
    for (String[] c : cases) {
      HttpResponse<String> r = api.call(ada, c[0], c[1], c[2]);
      assertThat(error(r, 400)).as("%s %s %s", c[0], c[1], c[2]).isEqualTo("invalid_argument");
      assertThat(ApiClient.json(r).get("error").get("message").asText()).isNotBlank();
    }
    assertThat(error(api.post(ada, room + "/messages", "{\"text\":\"" + "x".repeat(5000)
        + "\",\"clientMsgId\":\"long\"}"), 400)).isEqualTo("too_long");
    assertThat(texts(ok(api.get(ada, room + "/messages"), 200))).as("nothing was stored").allMatch(String::isEmpty);
  }

  @Test
  void idsThatAreNotDigitsOrOverflowAre400() throws Exception {
    User ada = api.register("ada");
    String id = createRoom(ada, false);
    for (String bad : List.of("abc", "-1", "0", "1.5", "1e3", "+7", "%20", "99999999999999999999",
        "9223372036854775808", "0x10", "%EF%BC%91")) {
      for (String path : List.of("/api/v1/rooms/" + bad, "/api/v1/rooms/" + bad + "/messages",
          "/api/v1/rooms/" + bad + "/members")) {
        assertThat(error(api.get(ada, path), 400)).as(path).isEqualTo("invalid_argument");
      }
      assertThat(error(api.post(ada, "/api/v1/rooms/" + bad + "/join", null), 400)).as(bad).isEqualTo("invalid_argument");
      assertThat(error(api.call(ada, "DELETE", "/api/v1/rooms/" + id + "/members/" + bad, null), 400)).as(bad)
          .isEqualTo("invalid_argument");
      assertThat(error(api.call(ada, "PUT", "/api/v1/rooms/" + id + "/members/" + bad + "/role",
          "{\"role\":\"member\"}"), 400)).as(bad).isEqualTo("invalid_argument");
    }
    assertThat(error(api.get(ada, "/api/v1/rooms/9223372036854775807"), 404)).as("the largest id is an id")
        .isEqualTo("not_found");
    assertThat(error(api.get(ada, "/api/v1/rooms/" + id + "/nothing"), 404)).isEqualTo("not_found");
    assertThat(error(api.get(ada, "/api/v1/rooms//messages"), 404)).isEqualTo("not_found");
    HttpResponse<String> patch = api.call(ada, "PATCH", "/api/v1/rooms", "{}");
    assertThat(error(patch, 405)).isEqualTo("method_not_allowed");
    assertThat(patch.headers().firstValue("allow")).hasValue("GET, POST");
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private ChatClient socket(User user) {
    ChatClient client = ChatClient.signedIn(parley.port(), Map.of("token", user.token()), null);
    sockets.add(client);
    return client;
  }

  private String roomName() {
    return "room-" + (++rooms) + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
  }

  /** Creates a room owned by {@code owner}; returns its id. */
  private String createRoom(User owner, boolean isPrivate) throws Exception {
    return ok(api.post(owner, "/api/v1/rooms", "{\"name\":\"" + roomName() + "\",\"private\":" + isPrivate + "}"), 201)
        .get("room").get("id").asText();
  }

  private String roomNameOf(User user, String id) throws Exception {
    return ok(api.get(user, "/api/v1/rooms/" + id), 200).get("room").get("name").asText();
  }

  private static JsonNode only(JsonNode list, String name) {
    List<JsonNode> found = StreamSupport.stream(list.spliterator(), false)
        .filter(n -> n.get("name").asText().equals(name)).toList();
    assertThat(found).as("%s in %s", name, list).hasSize(1);
    return found.get(0);
  }

  private static List<String> names(JsonNode list) {
    return StreamSupport.stream(list.spliterator(), false).map(n -> n.get("name").asText()).toList();
  }

  private static List<String> ids(JsonNode list) {
    return StreamSupport.stream(list.spliterator(), false).map(n -> n.get("id").asText()).toList();
  }

  private static List<String> texts(JsonNode page) {
    return StreamSupport.stream(page.get("messages").spliterator(), false).map(n -> n.get("text").asText()).toList();
  }

  private static String roleOf(JsonNode members, String name) {
    return only(members, name).get("role").asText();
  }
}
