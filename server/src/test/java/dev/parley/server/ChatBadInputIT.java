package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every /chat request with a value of the wrong JSON type in each of its fields, or as the whole
 * request, gets {@code {ok:false, error:{code:"invalid_argument"}}} and the connection stays up:
 * the next, valid request is served. Sent with the official Java client (org.json values) and,
 * for what it cannot write (duplicate keys, number literals beyond any range), as raw packets.
 * Requests without an acknowledgement, with extra arguments, with binary attachments instead of
 * JSON, and events the server does not know break nothing, and other users keep chatting.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatBadInputIT {
  /** A value of each JSON type that is never right where the table puts it. */
  private static final Object OBJECT = new JSONObject(Map.of("$gt", ""));
  private static final Object ARRAY = new JSONArray(List.of("1"));
  private static final BigInteger HUGE = BigInteger.TEN.pow(30);
  private static final BigDecimal OVERFLOWING = new BigDecimal("1e400");
  private static final Object NULL = JSONObject.NULL;
  /** Arrays and objects nested 300 deep. */
  private static final Object DEEP = nested(300);

  private enum Kind {
    ID(OBJECT, ARRAY, true, false, 1.5, -1, 0, HUGE, HUGE.negate(), OVERFLOWING, "abc", "", " 1", "-5", "1e3", "0x10",
        "9".repeat(25), "\uff11", DEEP),
    TEXT(42, 0, 1.5, -1, true, false, OBJECT, ARRAY, HUGE, OVERFLOWING, DEEP),
    SEQ("5", "", true, 1.5, -1, OBJECT, ARRAY, HUGE, HUGE.negate(), OVERFLOWING, DEEP),
    BOOLEAN("true", "false", 1, 0, "", OBJECT, ARRAY, DEEP),
    ROLE(42, true, "admin", "OWNER", "", " owner", OBJECT, ARRAY, DEEP),
    LIMIT("10", 1.5, 0, -1, 101, HUGE, true, OBJECT, ARRAY, DEEP);

    final List<Object> wrong;

    Kind(Object... wrong) {
      this.wrong = List.of(wrong);
    }
  }

  /** A field of a request: its kind and whether the request needs it. */
  private record Field(String name, Kind kind, boolean required) {}

  @TempDir
  static Path dir;
  Parley parley;
  ChatClient ada;
  ChatClient bob;
  /** The same user as ada could be, over a raw connection. */
  RawSocketIo raw;
  String general;
  String adaRoom;
  String bobId;

  @BeforeAll
  void start() throws Exception {
    parley = ParleyHarness.start(dir);
    ada = ChatClient.chat(parley.port(), "ada");
    bob = ChatClient.chat(parley.port(), "bob");
    general = ChatServerIT.generalId(ada.session());
    bobId = bob.session().getJSONObject("user").getString("id");
    JSONObject created = ada.request("room:create", "name", "ada-room");
    assertThat(created.getBoolean("ok")).as("%s", created).isTrue();
    adaRoom = created.getJSONObject("room").getString("id");
    assertThat(ada.request("room:invite", "roomId", adaRoom, "userId", bobId).getBoolean("ok")).isTrue();
    raw = RawSocketIo.chat(parley.port(), "raw");
  }

  @AfterAll
  void stop() {
    if (raw != null) {
      raw.close();
    }
    for (ChatClient c : new ChatClient[] {ada, bob}) {
      if (c != null) {
        c.close();
      }
    }
    if (parley != null) {
      parley.close();
    }
  }

  // ---- the table ---------------------------------------------------------------------------------

  /** A request: its event, a valid body, and the fields of that body that are checked here. */
  private record Request(String event, Map<String, Object> body, List<Field> fields) {}

  private List<Request> requests() {
    Field roomId = new Field("roomId", Kind.ID, true);
    Field userId = new Field("userId", Kind.ID, true);
    return List.of(
        new Request("rooms:list", Map.of(), List.of()),
        new Request("room:create", body("name", "fresh", "topic", "a topic", "private", false), List.of(
            new Field("name", Kind.TEXT, true), new Field("topic", Kind.TEXT, false),
            new Field("private", Kind.BOOLEAN, false))),
        new Request("room:join", body("roomId", adaRoom), List.of(roomId)),
        new Request("room:join", body("name", "ada-room"), List.of(new Field("name", Kind.TEXT, true))),
        new Request("room:leave", body("roomId", adaRoom), List.of(roomId)),
        new Request("room:members", body("roomId", adaRoom), List.of(roomId)),
        new Request("room:invite", body("roomId", adaRoom, "userId", bobId), List.of(roomId, userId,
            new Field("name", Kind.TEXT, false))),
        new Request("room:kick", body("roomId", adaRoom, "userId", bobId), List.of(roomId, userId)),
        new Request("room:role", body("roomId", adaRoom, "userId", bobId, "role", "member"), List.of(roomId, userId,
            new Field("role", Kind.ROLE, true))),
        new Request("dm:open", body("userId", bobId), List.of(userId)),
        new Request("dm:open", body("name", "bob"), List.of(new Field("name", Kind.TEXT, true))),
        new Request("message:send", body("roomId", general, "text", "hello", "clientMsgId", "c-1"), List.of(roomId,
            new Field("text", Kind.TEXT, true), new Field("clientMsgId", Kind.TEXT, true))),
        new Request("history", body("roomId", general, "limit", 10), List.of(roomId,
            new Field("before", Kind.SEQ, false), new Field("after", Kind.SEQ, false),
            new Field("limit", Kind.LIMIT, false))),
        new Request("read", body("roomId", general, "seq", 1), List.of(roomId, new Field("seq", Kind.SEQ, true))),
        new Request("typing", body("roomId", general, "typing", true), List.of(roomId,
            new Field("typing", Kind.BOOLEAN, true))),
        new Request("sync", body("rooms", new JSONObject(Map.of(general, 0))), List.of()));
  }

  private List<String> events() {
    return requests().stream().map(Request::event).distinct().toList();
  }

  @TestFactory
  Stream<DynamicTest> aFieldOfTheWrongTypeIsInvalidAndTheConnectionStaysUp() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Request r : requests()) {
      for (Field field : r.fields()) {
        List<Object> values = new ArrayList<>(field.kind().wrong);
        if (field.required()) {
          values.add(NULL);
          values.add(Missing.FIELD);
        }
        for (Object value : values) {
          JSONObject request = new JSONObject(r.body());
          if (value == Missing.FIELD) {
            request.remove(field.name());
          } else {
            put(request, field.name(), value);
          }
          tests.add(DynamicTest.dynamicTest(r.event() + " " + field.name() + " = " + label(value),
              () -> assertInvalid(r.event(), request)));
        }
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> aRequestThatIsNotAnObjectIsInvalid() {
    List<Object[]> shapes = List.of(new Object[] {}, new Object[] {"text"}, new Object[] {42}, new Object[] {true},
        new Object[] {NULL}, new Object[] {HUGE}, new Object[] {new JSONArray(List.of(new JSONObject()))},
        new Object[] {DEEP}, new Object[] {new byte[] {1, 2, 3}}, new Object[] {"{\"roomId\":\"1\"}"});
    List<DynamicTest> tests = new ArrayList<>();
    for (String event : events()) {
      for (Object[] args : shapes) {
        tests.add(DynamicTest.dynamicTest(event + " with arguments " + labels(args), () -> assertInvalid(event, args)));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> syncTakesAnObjectOfRoomIdsToSeqs() {
    List<Object> rooms = List.of("rooms", 42, true, NULL, ARRAY, HUGE, DEEP,
        new JSONObject(Map.of("abc", 1)), new JSONObject(Map.of("-1", 1)), new JSONObject(Map.of("1e3", 1)),
        new JSONObject(Map.of("9".repeat(19), 1)), new JSONObject(Map.of(" 1", 1)), new JSONObject(Map.of("", 1)));
    List<DynamicTest> tests = new ArrayList<>();
    for (Object value : rooms) {
      tests.add(DynamicTest.dynamicTest("sync rooms = " + label(value),
          () -> assertInvalid("sync", new JSONObject().put("rooms", value))));
    }
    for (Object seq : Kind.SEQ.wrong) {
      if (Integer.valueOf(-1).equals(seq)) {
        continue; // a negative lastSeq reads as 0, like any seq before the first
      }
      tests.add(DynamicTest.dynamicTest("sync rooms = {general: " + label(seq) + "}",
          () -> assertInvalid("sync", new JSONObject().put("rooms", new JSONObject().put(general, seq)))));
    }
    tests.add(DynamicTest.dynamicTest("sync without rooms", () -> assertInvalid("sync", new JSONObject())));
    return tests.stream();
  }

  /**
   * What the official clients never write: the same key twice (whichever value comes last), number
   * literals beyond every range, nesting near the parser's limit.
   */
  @TestFactory
  Stream<DynamicTest> rawPacketsTheOfficialClientsCannotWrite() {
    String g = "\"" + general + "\"";
    List<String> requests = List.of(
        "[\"message:send\",{\"roomId\":" + g + ",\"roomId\":{},\"text\":\"a\",\"clientMsgId\":\"r1\"}]",
        "[\"message:send\",{\"roomId\":{},\"roomId\":" + g + ",\"text\":\"a\",\"clientMsgId\":\"r2\"}]",
        "[\"message:send\",{\"roomId\":" + g + ",\"text\":\"a\",\"text\":\"b\",\"clientMsgId\":\"r3\"}]",
        "[\"message:send\",{\"roomId\":" + g + ",\"roomId\":" + g + ",\"text\":\"a\",\"clientMsgId\":\"r4\"}]",
        "[\"history\",{\"roomId\":" + g + ",\"limit\":5,\"limit\":5}]",
        "[\"sync\",{\"rooms\":{" + g + ":0," + g + ":0}}]",
        "[\"sync\",{\"rooms\":{" + g + ":0},\"rooms\":{" + g + ":0}}]",
        "[\"room:create\",{\"name\":\"twice\",\"private\":true,\"private\":false}]",
        "[\"history\",{\"roomId\":1e400}]",
        "[\"history\",{\"roomId\":" + g + ",\"limit\":1e400}]",
        "[\"history\",{\"roomId\":" + g + ",\"before\":-1e400}]",
        "[\"history\",{\"roomId\":" + g + ",\"limit\":1.0}]",
        "[\"history\",{\"roomId\":" + g + ",\"limit\":1E1}]",
        "[\"read\",{\"roomId\":" + g + ",\"seq\":" + "9".repeat(900) + "}]",
        "[\"message:send\",{\"roomId\":" + "1".repeat(900) + ",\"text\":\"a\",\"clientMsgId\":\"r5\"}]",
        "[\"message:send\",{\"roomId\":" + g + ",\"text\":" + "[".repeat(900) + "]".repeat(900)
            + ",\"clientMsgId\":\"r6\"}]",
        "[\"typing\",{\"roomId\":" + g + ",\"typing\":true,\"typing\":true}]");
    List<DynamicTest> tests = new ArrayList<>();
    long id = 1;
    for (String packet : requests) {
      long ackId = id++;
      tests.add(DynamicTest.dynamicTest(packet.length() > 120 ? packet.substring(0, 120) + "…" : packet, () -> {
        JSONObject reply = new JSONArray(raw.request(ackId, packet)).getJSONObject(0);
        assertThat(reply.getBoolean("ok")).as("%s", reply).isFalse();
        assertThat(reply.getJSONObject("error").getString("code")).as("%s", reply).isEqualTo("invalid_argument");
        JSONObject next = new JSONArray(raw.request(ackId + 10_000, "[\"history\",{\"roomId\":" + g + ",\"limit\":1}]"))
            .getJSONObject(0);
        assertThat(next.getBoolean("ok")).as("the next request on the same connection: %s", next).isTrue();
      }));
    }
    return tests.stream();
  }

  /**
   * A number of more than 1,000 digits or nesting deeper than 1,000 is past the JSON parser's
   * limits: the packet is refused as unreadable, which closes its sender's connection (as the
   * reference server does with a packet it cannot parse) and nobody else's.
   */
  @Test
  void aPacketPastTheParsersLimitsClosesOnlyItsOwnConnection() throws Exception {
    int n = 0;
    for (String value : List.of("1".repeat(1001), "[".repeat(1001) + "]".repeat(1001))) {
      try (RawSocketIo other = RawSocketIo.chat(parley.port(), "limits-" + n++)) {
        other.send("42/chat,1[\"history\",{\"roomId\":" + value + "}]");
        assertThat(other.awaitClosed()).startsWith("closed");
      }
      assertThat(ada.request("history", "roomId", general, "limit", 1).getBoolean("ok")).isTrue();
      JSONObject fromRaw = new JSONArray(raw.request(90_000 + n, "[\"rooms:list\",{}]")).getJSONObject(0);
      assertThat(fromRaw.getBoolean("ok")).isTrue();
    }
  }

  // ---- what is not a request -----------------------------------------------------------------------

  @Test
  void noAckExtraArgumentsBinaryAndUnknownEventsBreakNothingAndOthersKeepChatting() throws Exception {
    try (ChatClient cy = ChatClient.chat(parley.port(), "cy-" + UUID.randomUUID().toString().substring(0, 6))) {
      cy.session();
      JSONObject valid = new JSONObject().put("roomId", general).put("text", "sent without an ack")
          .put("clientMsgId", "no-ack");
      // Without an acknowledgement callback: every request, valid or not, is ignored.
      for (String event : events()) {
        ada.socket.emit(event, valid);
        ada.socket.emit(event, OBJECT, ARRAY);
        ada.socket.emit(event);
        ada.socket.emit(event, new byte[] {0, 1, 2});
      }
      // Events the server does not know, with and without an acknowledgement, any arguments.
      ada.socket.emit("no:such:event", valid);
      ada.socket.emit("message", "the tutorial's event, on /chat");
      ada.socket.emit("__proto__", new JSONObject().put("polluted", true));
      ada.socket.emit("constructor", new JSONObject().put("prototype", new JSONObject()));
      ada.socket.emit("x".repeat(10_000), new Object[] {valid}, args -> ada.queue("unexpected").add(args));
      List<String> heardByCy = new ArrayList<>();
      bobSaysInOrder(cy, heardByCy, "between the unknown events");

      // Extra arguments after a valid request are left alone.
      JSONObject extra = (JSONObject) ada.requestWithArgs("message:send", new JSONObject().put("roomId", general)
          .put("text", "with extra arguments").put("clientMsgId", "extra-1"), OBJECT, new byte[] {9}, NULL, 42);
      assertThat(extra.getBoolean("ok")).as("%s", extra).isTrue();
      // A binary attachment where a field's string or id belongs.
      for (String field : List.of("roomId", "text", "clientMsgId")) {
        assertInvalid("message:send", new JSONObject().put("roomId", general).put("text", "bytes")
            .put("clientMsgId", "bin-" + field).put(field, new byte[] {104, 105}));
      }
      assertInvalid("sync", new JSONObject().put("rooms", new JSONObject().put(general, new byte[] {1})));
      assertInvalid("room:create", new JSONObject().put("name", new byte[] {65}));

      // The marker reached cy after everything above: the requests without an ack stored nothing.
      String marker = "marker " + UUID.randomUUID();
      JSONObject ack = ChatServerIT.send(ada, general, marker);
      while (!heardByCy.contains(marker)) {
        heardByCy.add(ChatServerIT.nextText(cy).getString("text"));
      }
      assertThat(heardByCy).doesNotContain("sent without an ack").containsOnlyOnce("with extra arguments", marker);
      assertThat(ack.getString("roomId")).isEqualTo(general);
      assertThat(ada.queue("unexpected")).as("an unknown event is never acknowledged").isEmpty();
      assertThat(ada.queue(io.socket.client.Socket.EVENT_DISCONNECT)).isEmpty();
      bobSaysInOrder(cy, heardByCy, "after it all");
    }
  }

  /** Bob sends a few messages and cy receives each, once, in order; adds all cy hears to {@code heard}. */
  private void bobSaysInOrder(ChatClient cy, List<String> heard, String tag) throws Exception {
    List<String> said = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      said.add("bob " + tag + " " + i + " " + UUID.randomUUID());
      ChatServerIT.send(bob, general, said.get(i));
    }
    while (!heard.contains(said.get(said.size() - 1))) {
      heard.add(ChatServerIT.nextText(cy).getString("text"));
    }
    assertThat(heard.stream().filter(said::contains).toList()).isEqualTo(said);
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private void assertInvalid(String event, Object... args) throws Exception {
    Object reply = ada.requestWithArgs(event, args);
    assertThat(reply).as("%s %s", event, labels(args)).isInstanceOf(JSONObject.class);
    JSONObject ack = (JSONObject) reply;
    assertThat(ack.getBoolean("ok")).as("%s %s: %s", event, labels(args), ack).isFalse();
    assertThat(ack.getJSONObject("error").getString("code")).as("%s %s: %s", event, labels(args), ack)
        .isEqualTo("invalid_argument");
    assertThat(ack.getJSONObject("error").getString("message")).isNotBlank();
    JSONObject next = ada.request("history", "roomId", general, "limit", 1);
    assertThat(next.getBoolean("ok")).as("the next request on the same connection: %s", next).isTrue();
  }

  private static Map<String, Object> body(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static JSONObject put(JSONObject o, String key, Object value) {
    try {
      return o.put(key, value);
    } catch (org.json.JSONException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Object nested(int depth) {
    Object value = "bottom";
    for (int i = 0; i < depth; i++) {
      // The outermost is an array, so that no request takes it for its body.
      value = (depth - i) % 2 == 1 ? new JSONArray().put(value) : put(new JSONObject(), "k", value);
    }
    return value;
  }

  private enum Missing {
    FIELD
  }

  private static String label(Object value) {
    if (value == Missing.FIELD) {
      return "(missing)";
    }
    if (value == DEEP) {
      return "(nested 300 deep)";
    }
    if (value instanceof byte[] bytes) {
      return "(" + bytes.length + " bytes)";
    }
    if (value instanceof String s) {
      return JSONObject.quote(s);
    }
    String text = String.valueOf(value);
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private static String labels(Object[] args) {
    List<String> out = new ArrayList<>();
    for (Object a : args) {
      out.add(label(a));
    }
    return out.toString();
  }
}
