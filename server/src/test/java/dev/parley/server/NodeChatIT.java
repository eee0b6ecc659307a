package dev.parley.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /chat protocol (docs/protocol.md) and the tutorial namespace with the official Node.js
 * client, {@code socket.io-client} as pinned in {@code src/test/node/package.json}. Each test
 * starts a real Parley on SQLite and runs scenario scripts from {@code src/test/node} (see
 * {@code lib.js} there) as child processes, then checks what they printed.
 */
@Timeout(value = 60, unit = SECONDS)
class NodeChatIT {
  @TempDir
  Path dataDir;
  Parley parley;
  private final List<NodeScript> scripts = new ArrayList<>();

  /** When a test fails, everything its scripts printed goes to the test's output. */
  @RegisterExtension
  final TestWatcher transcripts = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      scripts.forEach(script -> System.out.println(script.transcript()));
    }
  };

  @BeforeAll
  static void nodeClientInstalled() {
    NodeScript.requireClient();
  }

  @BeforeEach
  void start() {
    parley = ParleyHarness.start(dataDir);
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (NodeScript script : scripts) {
      script.close();
    }
    if (parley != null) {
      parley.close();
    }
  }

  private NodeScript node(String script, String... params) {
    NodeScript node = NodeScript.start(script, "http://127.0.0.1:" + parley.port(), params);
    scripts.add(node);
    return node;
  }

  // ---- two users -------------------------------------------------------------------------------

  @Test
  void twoUsersChatAndEachAckComesOnlyOnceTheMessageIsStored() throws Exception {
    int count = 5;
    NodeScript node = node("two-users.js", "count=" + count);
    JsonNode sessions = node.expect("sessions");
    List<JsonNode> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(node.expect("sent"));
    }
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    JsonNode ada = sessions.get("ada");
    assertThat(ada.at("/user/name").asText()).isEqualTo("ada");
    assertThat(ada.get("guestKey").asText()).isNotBlank();
    assertThat(sessions.at("/bob/user/id").asText()).isNotEqualTo(ada.at("/user/id").asText());
    String general = result.get("general").asText();
    long previousSeq = 0;
    for (JsonNode line : sent) {
      JsonNode ack = line.get("ack");
      assertThat(fieldNames(ack)).as("ack %s", ack).containsExactlyInAnyOrder("ok", "id", "roomId", "seq", "ts");
      assertThat(ack.get("ok").asBoolean()).isTrue();
      assertThat(ack.get("id").isTextual()).as("id is a string: %s", ack).isTrue();
      assertThat(ack.get("roomId").asText()).isEqualTo(general);
      assertThat(ack.get("seq").isIntegralNumber()).as("seq is a number: %s", ack).isTrue();
      assertThat(ack.get("ts").isIntegralNumber()).as("ts is a number: %s", ack).isTrue();
      assertThat(ack.get("ts").asLong()).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
      if (previousSeq > 0) {
        assertThat(ack.get("seq").asLong()).isEqualTo(previousSeq + 1);
      }
      previousSeq = ack.get("seq").asLong();
      assertThat(texts(line.get("historyIds"))).as("history asked for right after the ack")
          .contains(ack.get("id").asText());
    }

    JsonNode received = result.get("received");
    assertThat(received).hasSize(count);
    for (int i = 0; i < count; i++) {
      JsonNode m = received.get(i);
      JsonNode ack = sent.get(i).get("ack");
      assertThat(m.get("id").asText()).isEqualTo(ack.get("id").asText());
      assertThat(m.get("seq").asLong()).isEqualTo(ack.get("seq").asLong());
      assertThat(m.get("ts").asLong()).isEqualTo(ack.get("ts").asLong());
      assertThat(m.get("roomId").asText()).isEqualTo(general);
      assertThat(m.get("text").asText()).as("stored exactly as sent").isEqualTo("hello <b>bob</b> #" + i);
      assertThat(m.at("/user/name").asText()).isEqualTo("ada");
      assertThat(m.get("clientMsgId").asText()).isEqualTo("two-users-" + i);
      assertThat(m.get("kind").asText()).isEqualTo("text");
    }
  }

  // ---- direct messages -----------------------------------------------------------------------

  @Test
  void aDirectMessageReachesOnlyItsTwoMembers() throws Exception {
    NodeScript node = node("dm-privacy.js");
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    String dm = result.get("dm").asText();
    assertThat(result.at("/opened/kind").asText()).isEqualTo("dm");
    assertThat(result.at("/opened/peer/name").asText()).isEqualTo("bob");
    assertThat(result.at("/bobsRoom/id").asText()).as("bob is told of the new DM").isEqualTo(dm);
    assertThat(result.at("/bobsRoom/peer/name").asText()).isEqualTo("ada");
    assertThat(result.at("/bobGot/text").asText()).isEqualTo("just between us");
    assertThat(result.at("/bobGot/seq").asLong()).isEqualTo(result.at("/dmAck/seq").asLong());
    assertThat(result.at("/adaGot/text").asText()).isEqualTo("sure");

    // eve got the marker and other things of general, but nothing of the DM.
    for (JsonNode event : result.get("eveEvents")) {
      String name = event.get("event").asText();
      JsonNode first = event.path("args").path(0);
      assertThat(name).as("eve's event %s", event).isNotEqualTo("room");
      assertThat(first.path("roomId").asText()).as("eve's event %s", event).isNotEqualTo(dm);
      assertThat(event.toString()).as("eve's event").doesNotContain("just between us").doesNotContain("\"sure\"");
    }
    JsonNode attempts = result.get("attempts");
    // A DM eve is not in does not exist for her: the same answer as an unknown room.
    assertThat(code(attempts.get("history"))).isEqualTo("not_found");
    assertThat(code(attempts.get("send"))).isEqualTo("not_found");
    assertThat(code(attempts.get("read"))).isEqualTo("not_found");
    assertThat(code(attempts.get("join"))).as("a DM cannot be joined").isEqualTo("not_found");
    assertThat(code(attempts.get("members"))).isEqualTo("not_found");
    assertThat(attempts.at("/sync/ok").asBoolean()).as("%s", attempts.get("sync")).isTrue();
    assertThat(attempts.at("/sync/rooms").has(dm)).as("sync answers nothing of the DM: %s", attempts.get("sync"))
        .isFalse();
    for (JsonNode room : attempts.at("/list/rooms")) {
      assertThat(room.get("id").asText()).as("rooms:list shows public rooms only").isNotEqualTo(dm);
    }
    List<String> dmTexts = new ArrayList<>();
    result.get("dmHistory").forEach(m -> dmTexts.add(m.get("text").asText()));
    assertThat(dmTexts).containsExactly("just between us", "sure");
  }

  // ---- ordering ------------------------------------------------------------------------------

  @Test
  void concurrentSendersAreDeliveredInGapFreeSeqOrderWithoutDuplicates() throws Exception {
    int senders = 4;
    int perSender = 60;
    NodeScript reader = node("reader.js", "name=reader");
    long lastSeq = reader.expect("ready").get("lastSeq").asLong();
    List<NodeScript> running = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      running.add(node("sender.js", "name=sender" + i, "count=" + perSender, "window=8"));
    }
    for (NodeScript sender : running) {
      sender.expect("ready");
    }
    for (NodeScript sender : running) {
      sender.send("go");
    }
    Map<String, Long> acked = new HashMap<>();
    for (NodeScript sender : running) {
      for (JsonNode ack : sender.expect("acks").get("acks")) {
        assertThat(acked.put(ack.get("id").asText(), ack.get("seq").asLong())).as("ack %s", ack).isNull();
      }
      sender.awaitSuccess();
    }
    reader.send("finish");
    JsonNode received = reader.expect("received");
    reader.awaitSuccess();

    JsonNode marker = received.get("marker");
    Set<String> seen = new HashSet<>();
    long expectedSeq = lastSeq + 1;
    for (JsonNode m : received.get("messages")) {
      assertThat(m.get("seq").asLong()).as("gap-free, increasing seq at %s", m).isEqualTo(expectedSeq++);
      assertThat(seen.add(m.get("id").asText())).as("delivered once: %s", m).isTrue();
      Long ackSeq = acked.get(m.get("id").asText());
      if (ackSeq != null) {
        assertThat(m.get("seq").asLong()).as("the seq its sender was acknowledged with").isEqualTo(ackSeq);
      }
    }
    assertThat(seen).as("every acknowledged message and the marker, nothing else")
        .containsAll(acked.keySet()).contains(marker.get("id").asText()).hasSize(senders * perSender + 1);
    assertThat(expectedSeq - 1).as("the marker is last").isEqualTo(marker.get("seq").asLong());
  }

  // ---- idempotent retries --------------------------------------------------------------------

  @Test
  void aRetriedSendStoresOneMessageAndGetsTheSameAck() throws Exception {
    NodeScript node = node("retry.js");
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    JsonNode acks = result.get("acks");
    JsonNode original = acks.at("/seq/0");
    assertThat(original.get("ok").asBoolean()).as("%s", original).isTrue();
    assertThat(acks.at("/seq/1")).as("retried one after the other").isEqualTo(original);
    assertThat(acks.get("changed")).as("retried with other text: the first send stands").isEqualTo(original);
    assertThat(acks.at("/concurrent/0").get("ok").asBoolean()).as("%s", acks.get("concurrent")).isTrue();
    assertThat(acks.at("/concurrent/1")).as("sent twice at once").isEqualTo(acks.at("/concurrent/0"));
    assertThat(acks.at("/reconnect/0").get("ok").asBoolean()).isTrue();
    assertThat(acks.at("/reconnect/1")).as("retried from a new connection").isEqualTo(acks.at("/reconnect/0"));
    JsonNode bobs = acks.get("otherUser");
    assertThat(bobs.get("ok").asBoolean()).as("%s", bobs).isTrue();
    assertThat(bobs.get("id").asText()).as("another user's clientMsgId is his own")
        .isNotEqualTo(original.get("id").asText());

    Map<String, Integer> stored = new HashMap<>();
    List<String> storedTexts = new ArrayList<>();
    for (JsonNode m : result.get("history")) {
      if (m.get("kind").asText().equals("text")) {
        stored.merge(m.get("user").asText() + "/" + m.get("clientMsgId").asText(), 1, Integer::sum);
        storedTexts.add(m.get("text").asText());
      }
    }
    assertThat(stored).as("one message per user and clientMsgId").hasSize(5)
        .allSatisfy((key, count) -> assertThat(count).as(key).isOne());
    assertThat(storedTexts).containsExactly("once", "twice at once", "lost ack", "bob's own", "done");

    List<String> delivered = new ArrayList<>();
    result.get("bobReceived").forEach(m -> delivered.add(m.get("id").asText()));
    assertThat(delivered).as("bob received each message once").doesNotHaveDuplicates()
        .containsSubsequence(original.get("id").asText(), acks.at("/concurrent/0/id").asText(),
            acks.at("/reconnect/0/id").asText(), bobs.get("id").asText(), result.at("/marker/id").asText());
  }

  // ---- reconnecting --------------------------------------------------------------------------

  @Test
  void aRecoveredClientReceivesExactlyWhatItMissedInOrderOnce() throws Exception {
    NodeScript node = node("recovery.js", "missed=3");
    JsonNode dropped = node.expect("dropped");
    JsonNode reconnected = node.expect("reconnected");
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    assertThat(dropped.get("active").asBoolean()).as("the client reconnects by itself").isTrue();
    assertThat(dropped.get("connected").asBoolean()).isFalse();
    assertThat(reconnected.get("recovered").asBoolean()).as("socket.recovered: %s", reconnected).isTrue();
    assertThat(reconnected.get("id").asText()).as("the same socket").isEqualTo(reconnected.get("firstId").asText());
    assertThat(reconnected.get("connects").asInt()).as("one CONNECT after the drop").isEqualTo(2);
    assertThat(result.get("disconnects")).hasSize(1);

    RecoveryChecks.missedOnceInOrderThenNew(result);
  }

  @Test
  void aRecoveredClientIsInTheRoomsItJoinedAndLeftWhileAway() throws Exception {
    NodeScript node = node("recovery-rooms.js");
    JsonNode reconnected = node.expect("reconnected");
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    assertThat(reconnected.get("recovered").asBoolean()).as("socket.recovered").isTrue();
    String dm = result.get("dm").asText();
    String side = result.get("side").asText();
    List<String> ids = new ArrayList<>();
    for (JsonNode m : result.get("messages")) {
      ids.add(m.get("id").asText());
      if (m.get("roomId").asText().equals(side)) {
        assertThat(m.get("kind").asText()).as("only bob's own leave notice of the room he left: %s", m)
            .isEqualTo("leave");
      }
    }
    assertThat(ids).as("the DM opened while away is live after the recovery")
        .containsSubsequence(result.at("/dmAfter/id").asText(), result.at("/marker/id").asText())
        .doesNotContain(result.at("/sideAfter/id").asText());
    assertThat(result.at("/room/unread").asLong()).as("the refreshed DM: %s", result.get("room")).isPositive();
    List<String> synced = new ArrayList<>();
    result.get("synced").forEach(m -> synced.add(m.get("id").asText()));
    assertThat(synced).as("what was sent in the DM while away can be caught up")
        .startsWith(result.at("/whileAway/id").asText());
  }

  @Test
  void aClientThatWasAwayCatchesUpWithSyncFromItsLastSeq() throws Exception {
    int missed = 120;
    NodeScript node = node("catchup.js", "missed=" + missed);
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    String general = result.get("general").asText();
    String dm = result.get("dm").asText();
    assertThat(result.get("recovered").asBoolean()).as("a new connection, not a recovery").isFalse();
    assertThat(result.at("/session/user/id").asText()).as("the same user by name and guestKey")
        .isEqualTo(result.at("/firstSession/user/id").asText());
    Map<String, Long> lastSeqs = new HashMap<>();
    result.at("/session/rooms").forEach(r -> lastSeqs.put(r.get("id").asText(), r.get("lastSeq").asLong()));
    assertThat(lastSeqs).as("the session lists both rooms with their lastSeq").containsOnlyKeys(general, dm);

    JsonNode sync = result.get("sync");
    assertThat(sync.at("/" + general + "/messages")).as("a sync page holds at most 100").hasSize(100);
    assertThat(sync.at("/" + general + "/hasMore").asBoolean()).isTrue();
    assertThat(sync.at("/" + dm + "/hasMore").asBoolean()).isFalse();
    for (String room : List.of(general, dm)) {
      List<JsonNode> caughtUp = new ArrayList<>();
      sync.at("/" + room + "/messages").forEach(caughtUp::add);
      result.at("/rest/" + room).forEach(caughtUp::add);
      JsonNode acks = result.at("/missed/" + room);
      long seq = result.at("/lastSeen/" + room).asLong();
      List<String> got = new ArrayList<>();
      for (JsonNode m : caughtUp) {
        assertThat(m.get("seq").asLong()).as("gap-free from the last seq seen in %s", room).isEqualTo(++seq);
        got.add(m.get("id").asText());
      }
      List<String> expected = new ArrayList<>();
      acks.forEach(a -> expected.add(a.get("id").asText()));
      assertThat(got).as("exactly what was missed in %s, in order", room).containsExactlyElementsOf(expected);
      assertThat(lastSeqs.get(room)).isEqualTo(seq);
    }
    List<String> live = new ArrayList<>();
    result.get("live").forEach(m -> live.add(m.get("id").asText()));
    assertThat(live).as("the new connection gets only new messages live, nothing missed again")
        .containsExactly(result.at("/after/id").asText());
  }

  @Test
  void aMemberRemovedWhileAwayRecoversWithoutTheRoom() throws Exception {
    NodeScript node = node("kicked-while-away.js");
    JsonNode reconnected = node.expect("reconnected");
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    String vault = result.get("vault").asText();
    assertThat(reconnected.get("recovered").asBoolean()).as("socket.recovered").isTrue();
    List<String> events = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    for (JsonNode event : result.get("events")) {
      String name = event.get("event").asText();
      events.add(name);
      if (name.equals("message")) {
        messages.add(event.at("/args/0/id").asText());
      }
      if (name.equals("room:removed")) {
        assertThat(event.at("/args/0/roomId").asText()).isEqualTo(vault);
        assertThat(event.at("/args/0/reason").asText()).isEqualTo("kicked");
      } else {
        assertThat(event.toString()).as("bob's event after the drop %s", event).doesNotContain("\"" + vault + "\"")
            .doesNotContain("secret after the kick");
      }
    }
    assertThat(events).as("told of the removal while away").contains("room:removed");
    assertThat(messages).as("what was missed elsewhere, then the marker")
        .containsExactly(result.at("/missed/id").asText(), result.at("/marker/id").asText());
    assertThat(texts(result.get("sync"))).as("sync answers for general only").containsExactly(result.get("general").asText());
  }

  // ---- bad input -----------------------------------------------------------------------------

  @Test
  void badInputGetsAnErrorAckAndTheConnectionStaysUp() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    for (String name : List.of("send: roomId an object", "send: roomId negative", "send: roomId true",
        "send: roomId missing", "send: text a number", "send: text an array", "send: text binary",
        "send: text missing", "send: text only whitespace", "send: clientMsgId missing",
        "send: clientMsgId a number", "send: clientMsgId 65 characters", "send: a string", "send: an array",
        "send: null", "send: no argument", "history: limit 1000", "history: limit 0", "history: limit a string",
        "history: before and after", "history: before negative", "sync: rooms a string", "sync: seq a string",
        "sync: room id not a number", "read: seq missing", "room:join: neither id nor name",
        "room:create: name with markup", "room:create: name a number", "dm:open: oneself",
        "dm:open: neither id nor name")) {
      expected.put(name, "invalid_argument");
    }
    expected.put("send: text 4001 characters", "too_long");
    expected.put("send: text 100000 characters", "too_long");
    expected.put("room:create: name 41 characters", "too_long");
    // An unknown room is not found, and so is someone else's DM or private room: they must not
    // answer differently.
    expected.put("send: unknown room", "not_found");
    expected.put("history: unknown room", "not_found");
    expected.put("room:leave: general", "forbidden");
    expected.put("room:join: unknown id", "not_found");
    expected.put("room:join: unknown name", "not_found");
    expected.put("room:members: unknown room", "not_found");
    expected.put("room:leave: unknown room", "not_found");
    expected.put("dm:open: unknown user", "not_found");

    NodeScript node = node("bad-input.js");
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    Map<String, String> actual = new LinkedHashMap<>();
    result.get("replies").fields().forEachRemaining(e -> actual.put(e.getKey(), code(e.getValue())));
    assertThat(actual).as("the error code of each bad request").isEqualTo(expected);
    assertThat(result.get("connected").asBoolean()).isTrue();
    assertThat(result.get("sameSocket").asBoolean()).as("never reconnected").isTrue();
    assertThat(result.get("disconnects")).as("never disconnected").isEmpty();
    assertThat(result.at("/longest/ok").asBoolean()).as("4,000 characters is within the limit").isTrue();
    List<String> stored = new ArrayList<>();
    result.get("history").forEach(m -> stored.add(m.get("length").asInt() + ":" + m.get("text").asText().charAt(0)));
    assertThat(stored).as("only the valid messages were stored").containsExactly("4000:z", "10:s");
  }

  // ---- the tutorial namespace ----------------------------------------------------------------

  @Test
  void tutorialPagesAndAChatClientTalkBothWays() throws Exception {
    NodeScript node = node("tutorial.js");
    JsonNode result = node.expect("result");
    node.awaitSuccess();

    assertThat(texts(result.get("tomLoad"))).as("loadMessages on connecting").containsExactly("ada: before the pages");
    assertThat(result.at("/fromTom/user/name").asText()).as("a tutorial message on /chat").isEqualTo("tom");
    assertThat(result.at("/fromTom/kind").asText()).isEqualTo("text");
    assertThat(result.at("/fromAnonymous/user/name").asText()).as("a page that never sent join")
        .startsWith("guest");
    String guest = result.at("/fromAnonymous/user/name").asText();
    assertThat(result.get("tomTransport").asText()).as("the default transports upgrade").isEqualTo("websocket");

    assertThat(first(result.get("tom"), "message")).as("tom's page").containsExactly(
        "tom: hi from the tutorial", "ada: hello pages", guest + ": who am I", "ada: marker");
    assertThat(first(result.get("tom"), "join")).containsExactly("tom", "amy");
    assertThat(first(result.get("tom"), "typing")).as("typing goes to the others only").isEmpty();
    assertThat(first(result.get("amy"), "message")).as("amy's page").containsExactly(
        "tom: hi from the tutorial", "ada: hello pages", "(Private) tom: psst", guest + ": who am I", "ada: marker");
    assertThat(first(result.get("amy"), "typing")).containsExactly("tom is typing...");
    assertThat(first(result.get("anonymous"), "message")).as("the anonymous page")
        .containsExactly(guest + ": who am I", "ada: marker");
    List<String> adaSaw = new ArrayList<>();
    result.get("ada").forEach(m -> adaSaw.add(m.get("user").asText() + ": " + m.get("text").asText()));
    assertThat(adaSaw).as("ada on /chat").containsExactly("ada: before the pages", "tom: hi from the tutorial",
        "ada: hello pages", guest + ": who am I", "ada: marker");

    List<String> lists = new ArrayList<>();
    for (JsonNode e : result.get("tom")) {
      if (e.get("event").asText().equals("userList")) {
        lists.add(texts(e.at("/args/0")).stream().sorted().toList().toString());
      }
    }
    assertThat(lists).as("tom's userList events").containsExactly("[tom]", "[amy, tom]", "[" + guest + ", tom]");
    assertThat(texts(result.get("lateLoad"))).as("loadMessages: general's history, without the private message")
        .containsExactly("ada: before the pages", "tom: hi from the tutorial", "ada: hello pages",
            guest + ": who am I", "ada: marker");
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The first argument of each {@code event} among recorded events, as text. */
  private static List<String> first(JsonNode events, String event) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.get("event").asText().equals(event)) {
        out.add(e.at("/args/0").asText());
      }
    }
    return out;
  }

  /** The error code of a refused request; fails if it was not refused. */
  private static String code(JsonNode reply) {
    assertThat(reply.path("ok").asBoolean(true)).as("refused: %s", reply).isFalse();
    assertThat(reply.at("/error/message").isTextual()).as("an error message: %s", reply).isTrue();
    return reply.at("/error/code").asText();
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
