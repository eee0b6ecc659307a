package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The /chat protocol end to end: a real Parley on SQLite, real Socket.IO Java clients. */
@Timeout(60)
class ChatServerIT {
  // Subclassed to run the same tests on PostgreSQL.
  @TempDir
  Path dataDir;
  Parley parley;
  final List<ChatClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    parley = startNode();
  }

  /** A node on this test's store; the same store each time within a test. */
  Parley startNode() throws Exception {
    return ParleyHarness.start(dataDir);
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    if (parley != null) {
      parley.close();
    }
  }

  ChatClient connect(String name) {
    ChatClient client = ChatClient.chat(parley.port(), name);
    clients.add(client);
    return client;
  }

  static String generalId(JSONObject session) throws Exception {
    JSONArray rooms = session.getJSONArray("rooms");
    for (int i = 0; i < rooms.length(); i++) {
      if ("general".equals(rooms.getJSONObject(i).getString("name"))) {
        return rooms.getJSONObject(i).getString("id");
      }
    }
    throw new AssertionError("no general room in " + session);
  }

  static JSONObject send(ChatClient client, String roomId, String text) throws Exception {
    JSONObject ack = client.request("message:send", "roomId", roomId, "text", text,
        "clientMsgId", UUID.randomUUID().toString());
    assertThat(ack.getBoolean("ok")).as("ack %s", ack).isTrue();
    return ack;
  }

  /** The next text message, skipping join/leave notices. */
  static JSONObject nextText(ChatClient client) throws Exception {
    while (true) {
      JSONObject m = client.nextObject("message");
      if ("text".equals(m.getString("kind"))) {
        return m;
      }
    }
  }

  @Test
  void twoUsersChatInGeneralAndTheAckComesAfterTheMessageIsStored() throws Exception {
    ChatClient ada = connect("ada");
    ChatClient bob = connect("bob");
    JSONObject adaSession = ada.session();
    bob.session();
    assertThat(adaSession.getJSONObject("user").getString("name")).isEqualTo("ada");
    assertThat(adaSession.getString("guestKey")).isNotBlank();
    String general = generalId(adaSession);

    JSONObject ack = send(ada, general, "hello <b>bob</b>");
    assertThat(ack.getString("roomId")).isEqualTo(general);
    assertThat(ack.getLong("seq")).isPositive();
    assertThat(ack.getLong("ts")).isPositive();

    JSONObject received = nextText(bob);
    assertThat(received.getString("id")).isEqualTo(ack.getString("id"));
    assertThat(received.getLong("seq")).isEqualTo(ack.getLong("seq"));
    assertThat(received.getString("text")).isEqualTo("hello <b>bob</b>");
    assertThat(received.getJSONObject("user").getString("name")).isEqualTo("ada");

    JSONObject history = bob.request("history", "roomId", general);
    JSONArray messages = history.getJSONArray("messages");
    assertThat(messages.getJSONObject(messages.length() - 1).getString("id")).isEqualTo(ack.getString("id"));
  }

  @Test
  void aDirectMessageReachesOnlyItsTwoMembers() throws Exception {
    ChatClient ada = connect("ada");
    ChatClient bob = connect("bob");
    ChatClient eve = connect("eve");
    String general = generalId(ada.session());
    bob.session();
    eve.session();

    JSONObject dm = ada.request("dm:open", "name", "bob");
    assertThat(dm.getBoolean("ok")).as("%s", dm).isTrue();
    String dmId = dm.getJSONObject("room").getString("id");
    assertThat(bob.nextObject("room").getString("id")).isEqualTo(dmId);

    send(ada, dmId, "just between us");
    assertThat(nextText(bob).getString("text")).isEqualTo("just between us");

    // eve's next message is the one in general: the DM never reached her.
    send(ada, general, "hello all");
    assertThat(nextText(eve).getString("text")).isEqualTo("hello all");
    JSONObject peek = eve.request("history", "roomId", dmId);
    assertThat(peek.getBoolean("ok")).isFalse();
    assertThat(peek.getJSONObject("error").getString("code")).as("a DM eve is not in does not exist for her")
        .isEqualTo("not_found");
    JSONObject sneak = eve.request("message:send", "roomId", dmId, "text", "hi", "clientMsgId", "x1");
    assertThat(sneak.getJSONObject("error").getString("code")).isEqualTo("not_found");
  }

  @Test
  void historySurvivesARestart() throws Exception {
    ChatClient ada = connect("ada");
    JSONObject session = ada.session();
    String general = generalId(session);
    String key = session.getString("guestKey");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(send(ada, general, "message " + i).getString("id"));
    }
    ada.close();
    clients.clear();
    parley.close();

    parley = startNode();
    ChatClient again = ChatClient.chat(parley.port(), "ada", key);
    clients.add(again);
    JSONObject session2 = again.session();
    assertThat(session2.getJSONObject("user").getString("id"))
        .isEqualTo(session.getJSONObject("user").getString("id"));
    JSONArray messages = again.request("history", "roomId", general).getJSONArray("messages");
    List<String> texts = new ArrayList<>();
    List<String> found = new ArrayList<>();
    for (int i = 0; i < messages.length(); i++) {
      JSONObject m = messages.getJSONObject(i);
      if ("text".equals(m.getString("kind"))) {
        texts.add(m.getString("text"));
        found.add(m.getString("id"));
      }
    }
    assertThat(texts).containsExactly("message 0", "message 1", "message 2", "message 3", "message 4");
    assertThat(found).isEqualTo(ids);
  }

  @Test
  void aRetriedSendStoresOneMessageAndGetsTheSameAck() throws Exception {
    ChatClient ada = connect("ada");
    String general = generalId(ada.session());
    JSONObject first = ada.request("message:send", "roomId", general, "text", "once", "clientMsgId", "retry-1");
    JSONObject second = ada.request("message:send", "roomId", general, "text", "once", "clientMsgId", "retry-1");
    assertThat(second.getString("id")).isEqualTo(first.getString("id"));
    assertThat(second.getLong("seq")).isEqualTo(first.getLong("seq"));
    JSONArray messages = ada.request("history", "roomId", general).getJSONArray("messages");
    int count = 0;
    for (int i = 0; i < messages.length(); i++) {
      if ("once".equals(messages.getJSONObject(i).getString("text"))) {
        count++;
      }
    }
    assertThat(count).isEqualTo(1);
  }

  @Test
  void concurrentSendersAreDeliveredInGapFreeSeqOrder() throws Exception {
    ChatClient reader = connect("reader");
    String general = generalId(reader.session());
    List<ChatClient> senders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ChatClient sender = connect("sender" + i);
      sender.session();
      senders.add(sender);
    }
    // Join notices of the senders arrive first; remember the last seq seen.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    int perSender = 50;
    for (ChatClient sender : senders) {
      done.add(pool.submit(() -> {
        for (int i = 0; i < perSender; i++) {
          send(sender, general, sender.socket.id() + " " + i);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long last = -1;
    int texts = 0;
    Set<String> ids = new HashSet<>();
    while (texts < senders.size() * perSender) {
      JSONObject m = reader.nextObject("message");
      long seq = m.getLong("seq");
      if (last >= 0) {
        assertThat(seq).as("seq after %s", last).isEqualTo(last + 1);
      }
      last = seq;
      assertThat(ids.add(m.getString("id"))).as("duplicate %s", m).isTrue();
      if ("text".equals(m.getString("kind"))) {
        texts++;
      }
    }
  }

  @Test
  void aClientThatWasAwayCatchesUpWithSync() throws Exception {
    ChatClient ada = connect("ada");
    String general = generalId(ada.session());
    ChatClient bob = connect("bob");
    JSONObject bobSession = bob.session();
    long lastSeen = send(ada, general, "before").getLong("seq");
    assertThat(nextText(bob).getLong("seq")).isEqualTo(lastSeen);
    bob.close();

    List<String> missed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      missed.add(send(ada, general, "missed " + i).getString("id"));
    }
    ChatClient back = ChatClient.chat(parley.port(), "bob", bobSession.getString("guestKey"));
    clients.add(back);
    back.session();
    JSONObject sync = back.request("sync", "rooms", ChatClient.json(general, lastSeen));
    JSONObject room = sync.getJSONObject("rooms").getJSONObject(general);
    JSONArray messages = room.getJSONArray("messages");
    List<String> got = new ArrayList<>();
    for (int i = 0; i < messages.length(); i++) {
      JSONObject m = messages.getJSONObject(i);
      assertThat(m.getLong("seq")).isEqualTo(lastSeen + 1 + i);
      if ("text".equals(m.getString("kind"))) {
        got.add(m.getString("id"));
      }
    }
    assertThat(got).isEqualTo(missed);
    assertThat(room.getBoolean("hasMore")).isFalse();
  }

  @Test
  void badInputGetsAnErrorAckAndTheConnectionStaysUp() throws Exception {
    ChatClient ada = connect("ada");
    String general = generalId(ada.session());
    assertThat(ada.request("message:send", "roomId", ChatClient.json("x", 1), "text", "hi", "clientMsgId", "a")
        .getJSONObject("error").getString("code")).isEqualTo("invalid_argument");
    assertThat(ada.request("message:send", "roomId", general, "text", "x".repeat(4001), "clientMsgId", "b")
        .getJSONObject("error").getString("code")).isEqualTo("too_long");
    assertThat(ada.request("message:send", "roomId", general, "text", "   ", "clientMsgId", "c")
        .getJSONObject("error").getString("code")).isEqualTo("invalid_argument");
    assertThat(ada.request("message:send", "roomId", general, "text", "nul \u0000 inside", "clientMsgId", "n")
        .getJSONObject("error").getString("code")).isEqualTo("invalid_argument");
    assertThat(ada.request("message:send", "roomId", general, "text", "no id")
        .getJSONObject("error").getString("code")).isEqualTo("invalid_argument");
    assertThat(ada.request("message:send", "roomId", "999999", "text", "hi", "clientMsgId", "d")
        .getJSONObject("error").getString("code")).isEqualTo("not_found");
    assertThat(ada.request("room:join", "roomId", "999999")
        .getJSONObject("error").getString("code")).isEqualTo("not_found");
    assertThat(ada.request("history", "roomId", general, "limit", 1000)
        .getJSONObject("error").getString("code")).isEqualTo("invalid_argument");
    assertThat(ada.request("room:create", "name", "<script>")
        .getJSONObject("error").getString("code")).isEqualTo("invalid_argument");
    // Still connected and served.
    assertThat(send(ada, general, "still here").getLong("seq")).isPositive();
  }

  @Test
  void roomsCanBeCreatedJoinedAndLeftWithNotices() throws Exception {
    ChatClient ada = connect("ada");
    ChatClient bob = connect("bob");
    ada.session();
    bob.session();
    JSONObject created = ada.request("room:create", "name", "Random Stuff", "topic", "anything");
    assertThat(created.getBoolean("ok")).as("%s", created).isTrue();
    String roomId = created.getJSONObject("room").getString("id");
    assertThat(ada.request("room:create", "name", "random stuff").getJSONObject("error").getString("code"))
        .isEqualTo("conflict");
    JSONArray list = bob.request("rooms:list").getJSONArray("rooms");
    boolean listed = false;
    for (int i = 0; i < list.length(); i++) {
      listed |= list.getJSONObject(i).getString("id").equals(roomId);
    }
    assertThat(listed).isTrue();

    JSONObject joined = bob.request("room:join", "roomId", roomId);
    assertThat(joined.getBoolean("ok")).as("%s", joined).isTrue();
    assertThat(joined.getJSONArray("members").length()).isEqualTo(2);
    JSONObject notice = ada.nextObject("message");
    while (!"join".equals(notice.getString("kind")) || !notice.getString("roomId").equals(roomId)
        || !"bob".equals(notice.getJSONObject("user").getString("name"))) {
      notice = ada.nextObject("message");
    }
    send(ada, roomId, "welcome");
    assertThat(nextText(bob).getString("text")).isEqualTo("welcome");
    assertThat(bob.request("room:leave", "roomId", roomId).getBoolean("ok")).isTrue();
    JSONObject left = ada.nextObject("message");
    while (!"leave".equals(left.getString("kind"))) {
      left = ada.nextObject("message");
    }
    assertThat(left.getJSONObject("user").getString("name")).isEqualTo("bob");
    assertThat(bob.request("message:send", "roomId", roomId, "text", "x", "clientMsgId", "z")
        .getJSONObject("error").getString("code")).isEqualTo("forbidden");
  }

  @Test
  void aNameIsKeptByItsGuestKey() throws Exception {
    ChatClient ada = connect("ada");
    ada.session();
    ChatClient impostor = connect("ADA");
    assertThat(impostor.connectError().toString()).contains("name_taken");
    ChatClient bad = connect("");
    assertThat(bad.connectError().toString()).contains("invalid_name");
  }

  @Test
  void tutorialPagesAndTheChatShareGeneral() throws Exception {
    ChatClient ada = connect("ada");
    String general = generalId(ada.session());
    ChatClient page = ChatClient.tutorial(parley.port());
    clients.add(page);
    page.next("loadMessages");
    page.socket.emit("join", "tom");
    assertThat(page.next("join")).isEqualTo("tom");
    assertThat(page.next("userList").toString()).contains("tom");
    page.socket.emit("message", "hi from the tutorial");
    assertThat(page.next("message")).isEqualTo("tom: hi from the tutorial");
    JSONObject seen = nextText(ada);
    assertThat(seen.getString("text")).isEqualTo("hi from the tutorial");
    assertThat(seen.getJSONObject("user").getString("name")).isEqualTo("tom");

    send(ada, general, "hello tom");
    assertThat(page.next("message")).isEqualTo("ada: hello tom");
  }

  @Test
  void aTutorialPagesFirstMessagesArePostedOnceInOrderUnderOneName() throws Exception {
    ChatClient page = ChatClient.tutorial(parley.port());
    clients.add(page);
    page.next("loadMessages");
    // No join: the page's guest user is made on its first message, while the others arrive.
    for (int i = 0; i < 20; i++) {
      page.socket.emit("message", "line " + i);
    }
    String first = page.next("message").toString();
    String name = first.substring(0, first.lastIndexOf(": line 0"));
    for (int i = 1; i < 20; i++) {
      assertThat(page.next("message")).isEqualTo(name + ": line " + i);
    }
  }

  @Test
  void stoppingLosesNothingThatWasAcknowledged() throws Exception {
    ChatClient ada = connect("ada");
    JSONObject session = ada.session();
    String general = generalId(session);
    java.util.concurrent.BlockingQueue<JSONObject> acks = new java.util.concurrent.LinkedBlockingQueue<>();
    int sent = 2000;
    for (int i = 0; i < sent; i++) {
      ada.socket.emit("message:send", new Object[] {ChatClient.json("roomId", general, "text", "m" + i,
          "clientMsgId", "stop-" + i)}, (io.socket.client.Ack) args -> acks.add((JSONObject) args[0]));
    }
    // Stop once the first acknowledgements are back, while the rest are still arriving.
    Set<String> acknowledged = new HashSet<>();
    JSONObject ack = acks.poll(10, TimeUnit.SECONDS);
    assertThat(ack).as("Timed out waiting for a first acknowledgement").isNotNull();
    assertThat(ack.getBoolean("ok")).as("%s", ack).isTrue();
    acknowledged.add(ack.getString("id"));
    parley.close();
    // Every send that was acknowledged ok must survive; the rest got an error or no answer.
    while ((ack = acks.poll(2, TimeUnit.SECONDS)) != null) {
      if (ack.optBoolean("ok")) {
        acknowledged.add(ack.getString("id"));
      }
    }
    ada.close();
    clients.clear();
    parley = startNode();
    ChatClient again = ChatClient.chat(parley.port(), "ada", session.getString("guestKey"));
    clients.add(again);
    again.session();
    Set<String> stored = new HashSet<>();
    long after = 0;
    while (true) {
      JSONObject page = again.request("history", "roomId", general, "after", after, "limit", 100);
      JSONArray messages = page.getJSONArray("messages");
      for (int i = 0; i < messages.length(); i++) {
        stored.add(messages.getJSONObject(i).getString("id"));
        after = messages.getJSONObject(i).getLong("seq");
      }
      if (!page.getBoolean("hasMore")) {
        break;
      }
    }
    assertThat(stored).containsAll(acknowledged);
  }

  @Test
  void clientsAreToldWhenTheServerStops() throws Exception {
    ChatClient ada = connect("ada");
    ada.session();
    parley.close();
    assertThat(ada.nextObject("shutdown").getString("reason")).isEqualTo("server shutting down");
    parley = null;
  }
}
