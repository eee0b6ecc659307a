package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Room access end to end (docs/protocol.md, "Rooms and roles"): a real Parley on SQLite and real
 * Socket.IO Java clients. A user outside a private room or a DM receives none of its events and
 * can neither read, write, join nor find it; an invitation lets a user in at once and a removal
 * shuts them out at once; roles limit who may remove whom.
 *
 * <p>To show that a client did not receive something, the test sends a marker message to
 * {@code general} after it: events reach a client in the order they are sent, so once the marker
 * is there, anything sent before it would be there too.
 */
@Timeout(60)
class PrivateRoomsIT {
  @TempDir
  Path dataDir;
  Parley parley;
  final List<ChatClient> clients = new ArrayList<>();
  /** Each client's session event. */
  private final Map<ChatClient, JSONObject> sessions = new HashMap<>();
  private int markers;

  @BeforeEach
  void start() {
    parley = ParleyHarness.start(dataDir);
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    if (parley != null) {
      parley.close();
    }
  }

  /** A connected user, once its session has arrived. */
  private ChatClient user(String name) throws Exception {
    return user(name, null);
  }

  private ChatClient user(String name, String guestKey) throws Exception {
    ChatClient client = ChatClient.chat(parley.port(), name, guestKey);
    clients.add(client);
    sessions.put(client, client.session());
    return client;
  }

  // ---- outsiders learn nothing ---------------------------------------------------------------------

  @Test
  void aNonMemberOfAPrivateRoomReceivesNothingOfItAndCannotReachOrFindIt() throws Exception {
    ChatClient ada = user("ada");
    ChatClient bob = user("bob");
    ChatClient eve = user("eve");
    JSONObject created = ok(ada.request("room:create", "name", "plans", "topic", "the surprise", "private", true));
    JSONObject room = created.getJSONObject("room");
    String plans = room.getString("id");
    assertThat(room.getString("kind")).isEqualTo("private");
    assertThat(room.getString("role")).as("the creator owns it").isEqualTo("owner");

    JSONObject invited = ok(ada.request("room:invite", "roomId", plans, "name", "bob"));
    assertThat(invited.getJSONObject("user").getString("name")).isEqualTo("bob");
    assertThat(invited.getJSONObject("user").getString("role")).isEqualTo("member");
    JSONObject bobsRoom = bob.nextObject("room");
    assertThat(bobsRoom.getString("id")).isEqualTo(plans);
    assertThat(bobsRoom.getString("role")).isEqualTo("member");

    // Everything that can happen in the room, while eve is connected: messages, typing, member
    // notices, a role change, a member leaving.
    String said = send(ada, plans, "cake at four").getString("id");
    assertThat(nextText(bob).getString("id")).isEqualTo(said);
    bob.socket.emit("typing", ChatClient.json("roomId", plans, "typing", true));
    assertThat(ada.nextObject("typing").getString("roomId")).as("typing is sent to the members").isEqualTo(plans);
    ok(ada.request("room:role", "roomId", plans, "userId", userId(bob), "role", "moderator"));
    assertThat(bob.nextObject("room").getString("role")).isEqualTo("moderator");
    ChatClient cy = user("cy");
    ok(ada.request("room:invite", "roomId", plans, "name", "cy"));
    ok(cy.request("room:leave", "roomId", plans));

    // What eve tries, each answered like a room that does not exist.
    String unknown = ada.request("history", "roomId", "999999").getJSONObject("error").getString("message");
    for (JSONObject refused : List.of(
        eve.request("room:join", "roomId", plans),
        eve.request("room:join", "name", "plans"),
        eve.request("history", "roomId", plans),
        eve.request("message:send", "roomId", plans, "text", "let me in", "clientMsgId", "eve-1"),
        eve.request("room:members", "roomId", plans),
        eve.request("read", "roomId", plans, "seq", 1),
        eve.request("room:leave", "roomId", plans),
        eve.request("room:invite", "roomId", plans, "name", "eve"),
        eve.request("room:kick", "roomId", plans, "userId", userId(bob)),
        eve.request("room:role", "roomId", plans, "userId", userId(eve), "role", "owner"))) {
      assertThat(code(refused)).as("%s", refused).isEqualTo("not_found");
      assertThat(refused.getJSONObject("error").getString("message")).as("the same words as for a missing room")
          .isEqualTo(unknown);
    }
    JSONObject sync = ok(eve.request("sync", "rooms", ChatClient.json(plans, 0)));
    assertThat(sync.getJSONObject("rooms").has(plans)).as("sync says nothing of it").isFalse();
    eve.socket.emit("typing", ChatClient.json("roomId", plans, "typing", true));
    assertThat(ids(eve.request("rooms:list").getJSONArray("rooms"))).doesNotContain(plans);
    assertThat(ids(bob.request("rooms:list").getJSONArray("rooms"))).as("its members see it listed").contains(plans);

    marker(ada, eve, bob);
    assertThat(eve.log()).as("eve's events").noneMatch(e -> e.contains('"' + plans + '"'))
        .noneMatch(e -> e.contains("cake at four")).noneMatch(e -> e.contains("the surprise"));
    assertThat(bob.log()).as("eve's typing went nowhere").noneMatch(e -> e.startsWith("typing") && e.contains("eve"));
    assertThat(ok(bob.request("history", "roomId", plans)).getJSONArray("messages").toString())
        .as("eve's send stored nothing").contains("cake at four").doesNotContain("let me in");
  }

  @Test
  void aNonMemberOfADmReceivesNothingOfItAndNobodyJoinsInvitesOrRemovesThere() throws Exception {
    ChatClient ada = user("ada");
    ChatClient bob = user("bob");
    ChatClient eve = user("eve");
    String dm = ok(ada.request("dm:open", "name", "bob")).getJSONObject("room").getString("id");
    assertThat(bob.nextObject("room").getString("id")).isEqualTo(dm);
    send(ada, dm, "just between us");
    assertThat(nextText(bob).getString("text")).isEqualTo("just between us");
    ada.socket.emit("typing", ChatClient.json("roomId", dm, "typing", true));
    assertThat(bob.nextObject("typing").getString("roomId")).isEqualTo(dm);

    for (JSONObject refused : List.of(
        eve.request("room:join", "roomId", dm),
        eve.request("history", "roomId", dm),
        eve.request("message:send", "roomId", dm, "text", "hi", "clientMsgId", "eve-1"),
        eve.request("room:members", "roomId", dm),
        eve.request("read", "roomId", dm, "seq", 1),
        eve.request("room:invite", "roomId", dm, "name", "eve"))) {
      assertThat(code(refused)).as("%s", refused).isEqualTo("not_found");
    }
    assertThat(ok(eve.request("sync", "rooms", ChatClient.json(dm, 0))).getJSONObject("rooms").has(dm)).isFalse();
    assertThat(ids(eve.request("rooms:list").getJSONArray("rooms"))).doesNotContain(dm);
    assertThat(ids(ada.request("rooms:list").getJSONArray("rooms"))).as("DMs are never listed").doesNotContain(dm);
    assertThat(code(ada.request("room:invite", "roomId", dm, "name", "eve"))).isEqualTo("forbidden");
    assertThat(code(ada.request("room:kick", "roomId", dm, "userId", userId(bob)))).isEqualTo("forbidden");
    assertThat(code(ada.request("room:role", "roomId", dm, "userId", userId(bob), "role", "owner")))
        .isEqualTo("forbidden");
    assertThat(code(ada.request("room:leave", "roomId", dm))).isEqualTo("forbidden");
    assertThat(ok(ada.request("room:members", "roomId", dm)).getJSONArray("members").length()).isEqualTo(2);

    marker(ada, eve);
    assertThat(eve.log()).as("eve's events").noneMatch(e -> e.contains('"' + dm + '"'))
        .noneMatch(e -> e.contains("just between us"));
  }

  // ---- in and out ----------------------------------------------------------------------------------

  @Test
  void anInviteeReceivesAtOnceAndARemovedMemberStopsAtOnceOnEveryTab() throws Exception {
    ChatClient ada = user("ada");
    ChatClient bob = user("bob");
    ChatClient bobsOtherTab = user("bob", sessions.get(bob).getString("guestKey"));
    ChatClient cy = user("cy");
    String room = ok(ada.request("room:create", "name", "team", "private", true)).getJSONObject("room").getString("id");
    ok(ada.request("room:invite", "roomId", room, "userId", userId(cy)));
    cy.nextObject("room");

    String before = send(ada, room, "before bob").getString("id");
    ok(ada.request("room:invite", "roomId", room, "name", "bob"));
    for (ChatClient tab : List.of(bob, bobsOtherTab)) {
      assertThat(tab.nextObject("room").getString("id")).isEqualTo(room);
      JSONObject notice = tab.nextObject("message");
      assertThat(notice.getString("kind")).as("bob's own join notice").isEqualTo("join");
    }
    String welcome = send(ada, room, "welcome bob").getString("id");
    assertThat(nextText(bob).getString("id")).as("the first text bob gets").isEqualTo(welcome);
    assertThat(nextText(bobsOtherTab).getString("id")).isEqualTo(welcome);
    assertThat(ids(ok(bob.request("history", "roomId", room)).getJSONArray("messages")))
        .as("an invitee reads what came before").contains(before, welcome);

    ok(ada.request("room:kick", "roomId", room, "userId", userId(bob)));
    for (ChatClient tab : List.of(bob, bobsOtherTab)) {
      JSONObject removed = tab.nextObject("room:removed");
      assertThat(removed.getString("roomId")).isEqualTo(room);
      assertThat(removed.getString("reason")).isEqualTo("kicked");
    }
    JSONObject gone = ada.nextObject("member");
    while (!gone.getString("roomId").equals(room) || gone.getBoolean("joined")) {
      gone = ada.nextObject("member");
    }
    assertThat(gone.getJSONObject("user").getString("name")).isEqualTo("bob");
    int seenBefore = bob.log().size();
    int otherTabSeenBefore = bobsOtherTab.log().size();

    // The room goes on without bob: a message, typing, a member joining.
    String after = send(ada, room, "after bob").getString("id");
    awaitText(cy, after);
    cy.socket.emit("typing", ChatClient.json("roomId", room, "typing", true));
    assertThat(ada.nextObject("typing").getString("roomId")).isEqualTo(room);
    user("dan");
    ok(ada.request("room:invite", "roomId", room, "name", "dan"));
    bob.socket.emit("typing", ChatClient.json("roomId", room, "typing", true));

    for (JSONObject refused : List.of(
        bob.request("history", "roomId", room),
        bob.request("message:send", "roomId", room, "text", "still here?", "clientMsgId", "bob-1"),
        bob.request("room:join", "roomId", room),
        bob.request("room:members", "roomId", room))) {
      assertThat(code(refused)).as("%s", refused).isEqualTo("not_found");
    }
    assertThat(ids(bob.request("rooms:list").getJSONArray("rooms"))).doesNotContain(room);
    marker(ada, bob, bobsOtherTab, cy);
    assertThat(bob.log().subList(seenBefore, bob.log().size())).as("bob's events after his removal")
        .noneMatch(e -> e.contains('"' + room + '"'));
    assertThat(bobsOtherTab.log().subList(otherTabSeenBefore, bobsOtherTab.log().size()))
        .noneMatch(e -> e.contains('"' + room + '"'));
    assertThat(cy.log()).as("bob's typing after his removal").noneMatch(e -> e.startsWith("typing") && e.contains("bob"));

    // Invited again, bob is back with everything, the messages of his absence included.
    ok(ada.request("room:invite", "roomId", room, "name", "bob"));
    assertThat(bob.nextObject("room").getString("id")).isEqualTo(room);
    assertThat(ids(ok(bob.request("history", "roomId", room)).getJSONArray("messages"))).contains(after);
  }

  // ---- roles ---------------------------------------------------------------------------------------

  @Test
  void moderatorsRemoveMembersButNotOwnersNorEachOtherAndOnlyOwnersSetRoles() throws Exception {
    ChatClient ada = user("ada");
    ChatClient bob = user("bob");
    ChatClient cy = user("cy");
    ChatClient dan = user("dan");
    ChatClient eve = user("eve");
    String room = ok(ada.request("room:create", "name", "crew", "private", true)).getJSONObject("room").getString("id");
    for (ChatClient member : List.of(bob, cy, dan, eve)) {
      ok(ada.request("room:invite", "roomId", room, "userId", userId(member)));
    }
    ok(ada.request("room:role", "roomId", room, "userId", userId(bob), "role", "moderator"));
    ok(ada.request("room:role", "roomId", room, "userId", userId(cy), "role", "moderator"));
    JSONObject told = dan.nextObject("role");
    assertThat(told.getString("roomId")).isEqualTo(room);
    assertThat(told.getJSONObject("user").getString("name")).isEqualTo("bob");
    assertThat(told.getString("role")).isEqualTo("moderator");
    JSONArray members = ok(dan.request("room:members", "roomId", room)).getJSONArray("members");
    assertThat(roles(members)).containsExactly("ada:owner", "bob:moderator", "cy:moderator", "dan:member",
        "eve:member");

    assertThat(code(bob.request("room:kick", "roomId", room, "userId", userId(ada))))
        .as("a moderator cannot remove an owner").isEqualTo("forbidden");
    assertThat(code(bob.request("room:kick", "roomId", room, "userId", userId(cy))))
        .as("nor another moderator").isEqualTo("forbidden");
    assertThat(code(bob.request("room:role", "roomId", room, "userId", userId(dan), "role", "moderator")))
        .as("nor set roles").isEqualTo("forbidden");
    assertThat(code(dan.request("room:kick", "roomId", room, "userId", userId(eve)))).isEqualTo("forbidden");
    assertThat(code(dan.request("room:invite", "roomId", room, "name", "zed"))).isEqualTo("forbidden");
    assertThat(code(bob.request("room:kick", "roomId", room, "userId", userId(bob))))
        .as("one leaves, one is not kicked out by oneself").isEqualTo("forbidden");
    ok(bob.request("room:kick", "roomId", room, "userId", userId(dan)));
    assertThat(dan.nextObject("room:removed").getString("roomId")).isEqualTo(room);
    ok(bob.request("room:invite", "roomId", room, "userId", userId(dan)));
    assertThat(code(bob.request("room:invite", "roomId", room, "name", "nobody"))).isEqualTo("not_found");
    assertThat(code(ada.request("room:role", "roomId", room, "userId", userId(dan), "role", "king")))
        .isEqualTo("invalid_argument");

    assertThat(code(ada.request("room:role", "roomId", room, "userId", userId(ada), "role", "member")))
        .as("the last owner keeps the room").isEqualTo("forbidden");
    ok(ada.request("room:leave", "roomId", room));
    JSONObject promoted = bob.nextObject("room");
    while (!promoted.getString("id").equals(room) || !promoted.getString("role").equals("owner")) {
      promoted = bob.nextObject("room");
    }
    assertThat(roles(ok(bob.request("room:members", "roomId", room)).getJSONArray("members")))
        .as("the longest-standing moderator took over")
        .containsExactly("bob:owner", "cy:moderator", "dan:member", "eve:member");
    ok(bob.request("room:kick", "roomId", room, "userId", userId(cy)));
  }

  @Test
  void publicRoomsStayOpenAndPrivateNamesNeedNotBeUnique() throws Exception {
    ChatClient ada = user("ada");
    ChatClient bob = user("bob");
    String lounge = ok(ada.request("room:create", "name", "lounge")).getJSONObject("room").getString("id");
    assertThat(code(bob.request("message:send", "roomId", lounge, "text", "hi", "clientMsgId", "b1")))
        .as("a public room's existence is no secret").isEqualTo("forbidden");
    assertThat(code(bob.request("history", "roomId", lounge))).isEqualTo("forbidden");
    assertThat(ok(bob.request("room:members", "roomId", lounge)).getJSONArray("members").length()).isEqualTo(1);
    assertThat(ok(bob.request("room:join", "name", "LOUNGE")).getJSONObject("room").getString("role"))
        .isEqualTo("member");
    assertThat(code(ada.request("room:create", "name", "Lounge"))).isEqualTo("conflict");

    String secret = ok(bob.request("room:create", "name", "lounge", "private", true)).getJSONObject("room")
        .getString("id");
    String another = ok(ada.request("room:create", "name", "lounge", "private", true)).getJSONObject("room")
        .getString("id");
    assertThat(secret).isNotEqualTo(another);
    assertThat(ok(ada.request("room:join", "name", "lounge")).getJSONObject("room").getString("id"))
        .as("a name finds the public room").isEqualTo(lounge);
    JSONArray listed = ada.request("rooms:list").getJSONArray("rooms");
    assertThat(ids(listed)).contains(lounge, another).doesNotContain(secret);
    String general = generalOf(ada);
    assertThat(code(ada.request("room:kick", "roomId", general, "userId", userId(bob)))).isEqualTo("forbidden");
  }

  // ---- helpers -------------------------------------------------------------------------------------

  /** Sends a marker to general and waits until each of {@code clients} has it. */
  private void marker(ChatClient sender, ChatClient... clients) throws Exception {
    String text = "marker " + (++markers) + " " + UUID.randomUUID();
    send(sender, generalOf(sender), text);
    for (ChatClient client : clients) {
      JSONObject m = nextText(client);
      while (!m.getString("text").equals(text)) {
        m = nextText(client);
      }
    }
  }

  private String generalOf(ChatClient client) throws Exception {
    return ChatServerIT.generalId(sessions.get(client));
  }

  private String userId(ChatClient client) throws Exception {
    return sessions.get(client).getJSONObject("user").getString("id");
  }

  /** Waits until {@code client} has the message {@code id}. */
  private static void awaitText(ChatClient client, String id) throws Exception {
    while (!nextText(client).getString("id").equals(id)) {
      // an earlier message
    }
  }

  private static JSONObject send(ChatClient client, String roomId, String text) throws Exception {
    return ok(client.request("message:send", "roomId", roomId, "text", text, "clientMsgId", UUID.randomUUID().toString()));
  }

  private static JSONObject nextText(ChatClient client) throws Exception {
    return ChatServerIT.nextText(client);
  }

  private static JSONObject ok(JSONObject reply) throws Exception {
    assertThat(reply.getBoolean("ok")).as("%s", reply).isTrue();
    return reply;
  }

  private static String code(JSONObject reply) throws Exception {
    assertThat(reply.getBoolean("ok")).as("refused: %s", reply).isFalse();
    return reply.getJSONObject("error").getString("code");
  }

  private static List<String> ids(JSONArray items) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < items.length(); i++) {
      ids.add(items.getJSONObject(i).getString("id"));
    }
    return ids;
  }

  private static List<String> roles(JSONArray members) throws Exception {
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < members.length(); i++) {
      JSONObject m = members.getJSONObject(i);
      roles.add(m.getString("name") + ":" + m.getString("role"));
    }
    return roles;
  }
}
