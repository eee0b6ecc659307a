package dev.parley.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Parley nodes in one JVM sharing the local PostgreSQL (a schema of the test's own) and the
 * local Redis, with real Socket.IO clients on each. Whatever one node's clients do, the other's
 * see, in the same order; Redis going away from one node loses nothing; and a client that drops
 * from one node recovers its session on the other. Redis and PostgreSQL addresses come from
 * PARLEY_TEST_REDIS_URL and PARLEY_TEST_PG_URL; without them outside CI the test is skipped.
 */
@Timeout(value = 90, unit = SECONDS)
class ClusterIT {
  static final String REDIS = System.getenv().getOrDefault("PARLEY_TEST_REDIS_URL", "redis://127.0.0.1:6379");

  @TempDir
  Path dataDir;
  private String schema;
  private String dbUrl;
  /** Node ids for this test, away from other tests' and other runs'. */
  private final int nodeBase = 100 + ThreadLocalRandom.current().nextInt(800);
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void services() throws Exception {
    URI redis = URI.create(REDIS);
    try (Socket probe = new Socket(redis.getHost(), redis.getPort())) {
      probe.setSoTimeout(1000);
    } catch (IOException e) {
      unavailable("Redis is unreachable at " + REDIS + ": " + e.getMessage());
    }
    schema = "cluster_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try {
      pg("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      unavailable("PostgreSQL is unreachable at " + ChatServerPostgresIT.URL + ": " + e.getMessage());
    }
    String base = ChatServerPostgresIT.URL;
    dbUrl = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (schema != null) {
      pg("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static void unavailable(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail("CI=true and " + why);
    }
    assumeTrue(false, "skipped: " + why);
  }

  private static void pg(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(ChatServerPostgresIT.URL); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Node {@code n} of the cluster, meeting the others at {@code redis}. */
  private Parley node(int n, String redis, String... extra) {
    List<String> args = new ArrayList<>(List.of("--db", dbUrl, "--redis", redis,
        "--node-id", Integer.toString(nodeBase + n)));
    args.addAll(List.of(extra));
    // A data folder each, as on separate machines: the token signing key is shared through the database.
    Parley parley = ParleyHarness.start(dataDir.resolve("node-" + n), args.toArray(String[]::new));
    open.add(parley);
    return parley;
  }

  /** Node {@code n} as a process of its own (the jar), on {@code port}, for tests that kill it. */
  private ParleyProcess nodeProcess(int n, int port) throws Exception {
    return nodeProcess(n, port, REDIS);
  }

  private ParleyProcess nodeProcess(int n, int port, String redis) throws Exception {
    List<String> options = new ArrayList<>(List.of("--port", Integer.toString(port), "--data-dir",
        dataDir.resolve("node-" + n).toString(), "--db", dbUrl, "--redis", redis, "--node-id",
        Integer.toString(nodeBase + n)));
    options.addAll(ParleyHarness.testLimits());
    ParleyProcess process = ParleyProcess.start(options.toArray(String[]::new));
    open.add(process);
    return process;
  }

  private ChatClient guest(Parley node, String name) {
    ChatClient client = ChatClient.chat(node.port(), name);
    open.add(client);
    return client;
  }

  private static String generalOf(JSONObject session) throws Exception {
    JSONArray rooms = session.getJSONArray("rooms");
    for (int i = 0; i < rooms.length(); i++) {
      if (rooms.getJSONObject(i).getString("name").equals("general")) {
        return rooms.getJSONObject(i).getString("id");
      }
    }
    throw new AssertionError("no general in " + session);
  }

  private static JSONObject send(ChatClient client, String roomId, String text) throws Exception {
    JSONObject ack = client.request("message:send", "roomId", roomId, "text", text,
        "clientMsgId", UUID.randomUUID().toString());
    assertThat(ack.optBoolean("ok")).as("ack of %s: %s", text, ack).isTrue();
    return ack;
  }

  /** The next message event at {@code client}, waiting at most 10 s. */
  private static JSONObject nextMessage(ChatClient client) throws InterruptedException {
    Object m = client.queue("message").poll(10, SECONDS);
    if (m == null) {
      throw new AssertionError("no message within 10 s; events so far: " + client.log());
    }
    return (JSONObject) m;
  }

  // ---- tests -----------------------------------------------------------------------------------

  @Test
  void messagesFromBothNodesReachEveryClientOnceInTheSameOrder() throws Exception {
    Parley one = node(1, REDIS);
    Parley two = node(2, REDIS);
    ChatClient ada = guest(one, "ada");
    ChatClient bob = guest(two, "bob");
    String general = generalOf(ada.session());
    bob.session();

    int each = 30;
    Thread adaSends = new Thread(() -> {
      try {
        for (int i = 0; i < each; i++) {
          send(ada, general, "ada " + i);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    adaSends.start();
    for (int i = 0; i < each; i++) {
      send(bob, general, "bob " + i);
    }
    adaSends.join(30_000);

    List<String> atAda = new ArrayList<>();
    List<String> atBob = new ArrayList<>();
    long lastSeq = -1;
    while (atAda.size() < 2 * each) {
      JSONObject m = nextMessage(ada);
      if (m.getString("kind").equals("text")) {
        atAda.add(m.getString("id"));
      }
      assertThat(lastSeq < 0 || m.getLong("seq") == lastSeq + 1).as("seq order at ada: %s after %s", m, lastSeq)
          .isTrue();
      lastSeq = m.getLong("seq");
    }
    lastSeq = -1;
    while (atBob.size() < 2 * each) {
      JSONObject m = nextMessage(bob);
      if (m.getString("kind").equals("text")) {
        atBob.add(m.getString("id"));
      }
      assertThat(lastSeq < 0 || m.getLong("seq") == lastSeq + 1).as("seq order at bob: %s after %s", m, lastSeq)
          .isTrue();
      lastSeq = m.getLong("seq");
    }
    assertThat(atBob).as("both nodes deliver the same messages in the same order").isEqualTo(atAda);
    assertThat(Set.copyOf(atAda)).as("once each").hasSize(2 * each);
  }

  @Test
  void roomChangesTypingAndRemovalsReachTheOtherNode() throws Exception {
    Parley one = node(1, REDIS);
    Parley two = node(2, REDIS);
    ChatClient ada = guest(one, "ada");
    ChatClient bob = guest(two, "bob");
    ada.session();
    JSONObject bobSession = bob.session();
    String bobId = bobSession.getJSONObject("user").getString("id");
    String general = generalOf(bobSession);

    String plans = ada.request("room:create", "name", "plans", "private", true).getJSONObject("room").getString("id");
    JSONObject invited = ada.request("room:invite", "roomId", plans, "name", "bob");
    assertThat(invited.optBoolean("ok")).as("%s", invited).isTrue();
    assertThat(bob.nextObject("room").getString("id")).as("bob, on the other node, hears he is in the room")
        .isEqualTo(plans);

    JSONObject said = send(ada, plans, "for the room");
    assertThat(waitForText(bob, "for the room").getString("id")).isEqualTo(said.getString("id"));
    assertThat(send(bob, plans, "bob answers").getString("roomId")).as("bob may write there").isEqualTo(plans);

    ada.request("typing", "roomId", plans, "typing", true);
    JSONObject typing = bob.nextObject("typing");
    assertThat(typing.getString("roomId")).isEqualTo(plans);
    assertThat(typing.getJSONObject("user").getString("name")).isEqualTo("ada");

    JSONObject kicked = ada.request("room:kick", "roomId", plans, "userId", bobId);
    assertThat(kicked.optBoolean("ok")).as("%s", kicked).isTrue();
    JSONObject removed = bob.nextObject("room:removed");
    assertThat(removed.getString("roomId")).isEqualTo(plans);
    JSONObject refused = bob.request("message:send", "roomId", plans, "text", "still here?",
        "clientMsgId", UUID.randomUUID().toString());
    assertThat(refused.optBoolean("ok")).as("bob's node knows he is out at once: %s", refused).isFalse();

    bob.queue("message").clear();
    send(ada, plans, "after the kick");
    JSONObject marker = send(ada, general, "marker");
    // Messages reach every node in id order: once the marker is there, the room's message, sent
    // before it, would have been too.
    JSONObject next = waitForText(bob, "marker");
    assertThat(next.getString("id")).isEqualTo(marker.getString("id"));
    assertThat(bob.log()).as("nothing of the room after the kick").noneMatch(e -> e.contains("after the kick"));
  }

  @Test
  void signingOutOnOneNodeClosesTheSessionsSocketsOnTheOther() throws Exception {
    Parley one = node(1, REDIS);
    Parley two = node(2, REDIS);
    Http http = new Http(one.port());
    HttpResponse<String> registered = http.post("/api/v1/auth/register",
        "{\"username\":\"grace\",\"password\":\"correct horse battery\"}");
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    HttpResponse<String> signedIn = http.post("/api/v1/auth/signin",
        "{\"username\":\"grace\",\"password\":\"correct horse battery\"}");
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    String cookie = signedIn.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];

    ChatClient onTwo = ChatClient.signedIn(two.port(), Map.of(), cookie);
    open.add(onTwo);
    assertThat(onTwo.session().getJSONObject("user").getString("name")).isEqualTo("grace");

    // An access token from one node is good on the other: they sign with one key.
    HttpResponse<String> issued = http.post("/api/v1/auth/token", "", "Cookie", cookie);
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    String access = new com.fasterxml.jackson.databind.ObjectMapper().readTree(issued.body()).get("accessToken")
        .asText();
    HttpResponse<String> me = new Http(two.port()).get("/api/v1/auth/me", "Authorization", "Bearer " + access);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    ChatClient bot = ChatClient.signedIn(two.port(), Map.of("token", access), null);
    open.add(bot);
    assertThat(bot.session().getJSONObject("user").getString("name")).isEqualTo("grace");

    HttpResponse<String> out = http.post("/api/v1/auth/signout", "", "Cookie", cookie);
    assertThat(out.statusCode()).as(out.body()).isBetween(200, 204);

    assertThat(onTwo.nextObject("signed_out").getString("reason")).isEqualTo("signed out");
    assertThat(onTwo.next(io.socket.client.Socket.EVENT_DISCONNECT)).isEqualTo("io server disconnect");
  }

  @Test
  void withoutRedisANodeStillDeliversEveryMessageAndCatchesUpWhenItIsBack() throws Exception {
    URI redis = URI.create(REDIS);
    TcpProxy redisForTwo = new TcpProxy(redis.getPort());
    open.add(redisForTwo);
    Parley one = node(1, REDIS);
    Parley two = node(2, "redis://127.0.0.1:" + redisForTwo.port());
    ChatClient ada = guest(one, "ada");
    ChatClient bob = guest(two, "bob");
    String general = generalOf(ada.session());
    bob.session();
    Http httpTwo = new Http(two.port());
    assertThat(httpTwo.get("/readyz").statusCode()).isEqualTo(200);

    redisForTwo.down();
    awaitStatus(httpTwo, "/readyz", 503);

    // For at least 10 s both send, each waiting until the other has the message: every one crosses
    // from one node to the other through the database alone.
    List<String> sent = new ArrayList<>();
    List<String> atBob = new ArrayList<>();
    List<String> atAda = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; System.nanoTime() - start < SECONDS.toNanos(10); i++) {
      sent.add(send(ada, general, "while redis is away " + i).getString("id"));
      atBob.addAll(texts(bob, 1));
      atAda.addAll(texts(ada, 1));
      sent.add(send(bob, general, "bob while redis is away " + i).getString("id"));
      atAda.addAll(texts(ada, 1));
      atBob.addAll(texts(bob, 1));
    }
    assertThat(atBob).as("bob's node reads what it could not hear from the store, in order")
        .containsExactlyElementsOf(sent);
    assertThat(atAda).as("and ada's node reads bob's").containsExactlyElementsOf(sent);

    redisForTwo.restore();
    awaitStatus(httpTwo, "/readyz", 200);
    ada.request("typing", "roomId", general, "typing", true);
    assertThat(bob.nextObject("typing").getJSONObject("user").getString("name"))
        .as("live events cross again once Redis is back").isEqualTo("ada");
    String after = send(ada, general, "redis is back").getString("id");
    assertThat(texts(bob, 1)).containsExactly(after);
    assertThat(ada.log()).as("bob, connected all along, never looked offline to ada")
        .noneMatch(e -> e.startsWith("presence ") && e.contains("\"name\":\"bob\"") && e.contains("\"online\":false"));
  }

  @Test
  void aClientThatDropsFromOneNodeRecoversItsSessionOnAnother() throws Exception {
    NodeScript.requireClient();
    Parley one = node(1, REDIS);
    Parley two = node(2, REDIS);
    TcpProxy balancer = new TcpProxy(one.port());
    open.add(balancer);
    NodeScript script = NodeScript.start("recovery-restart.js", "http://127.0.0.1:" + balancer.port(), "missed=3");
    open.add(script);
    try {
      script.expect("ready");
      // The balancer sends new connections to the other node and drops the open ones.
      balancer.target(two.port());
      balancer.cut();
      script.send("restarted");
      RecoveryChecks.recoveredAfterTheRestart(script);
    } catch (AssertionError | RuntimeException e) {
      System.out.println(script.transcript());
      throw e;
    }
  }

  @Test
  void aUserOnTwoNodesIsAnnouncedOnlineOnceAndOfflineOnceWhenItsLastConnectionCloses() throws Exception {
    Parley one = node(1, REDIS);
    Parley two = node(2, REDIS);
    ChatClient ada = guest(one, "ada");
    ChatClient bob = guest(two, "bob");
    String general = generalOf(ada.session());
    bob.session();

    ChatClient carolHere = guest(one, "carol");
    JSONObject carol = carolHere.session();
    String carolId = carol.getJSONObject("user").getString("id");
    assertThat(presenceOf(ada, carolId)).as("ada hears carol came online").isTrue();
    assertThat(presenceOf(bob, carolId)).as("so does bob, on the other node").isTrue();
    ChatClient carolThere = ChatClient.chat(two.port(), "carol", carol.getString("guestKey"));
    open.add(carolThere);
    carolThere.session();

    carolHere.close();
    JSONObject members = ada.request("room:members", "roomId", general);
    boolean listed = false;
    JSONArray list = members.getJSONArray("members");
    for (int i = 0; i < list.length(); i++) {
      if (list.getJSONObject(i).getString("id").equals(carolId)) {
        listed = list.getJSONObject(i).getBoolean("online");
      }
    }
    assertThat(listed).as("carol is online on the other node: %s", members).isTrue();

    carolThere.close();
    assertThat(presenceOf(ada, carolId)).as("offline once her last connection, on any node, closed").isFalse();
    assertThat(presenceOf(bob, carolId)).isFalse();
    assertThat(presenceLog(ada, carolId)).as("one announcement each way at ada").containsExactly("true", "false");
    assertThat(presenceLog(bob, carolId)).as("and at bob").containsExactly("true", "false");
  }

  @Test
  void aNodeKilledUnderLoadLosesNoAcknowledgedMessageAndItsClientsRecoverOnAnother() throws Exception {
    NodeScript.requireClient();
    assertThat(ParleyProcess.JAR).as("the server jar, built in the package phase").exists();
    int portOne = ParleyProcess.freePort();
    ParleyProcess one = nodeProcess(1, portOne);
    Parley two = node(2, REDIS);
    TcpProxy balancer = new TcpProxy(portOne);
    open.add(balancer);

    // Load on the node to be killed: a client sending to a room of its own as fast as acks come.
    ChatClient loader = ChatClient.chat(portOne, "loader");
    open.add(loader);
    JSONObject loaderSession = loader.session();
    String load = loader.request("room:create", "name", "load").getJSONObject("room").getString("id");
    Set<String> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.CountDownLatch flowing = new java.util.concurrent.CountDownLatch(50);
    Thread sending = new Thread(() -> {
      for (int i = 0; ; i++) {
        java.util.concurrent.BlockingQueue<Object> reply = new java.util.concurrent.LinkedBlockingQueue<>();
        loader.socket.emit("message:send", new Object[] {ChatClient.json("roomId", load, "text", "load " + i,
            "clientMsgId", "load-" + i)}, (io.socket.client.Ack) args -> reply.add(args[0]));
        try {
          Object ack = reply.poll(3, SECONDS);
          if (!(ack instanceof JSONObject o) || !o.optBoolean("ok")) {
            return;
          }
          acked.add(o.getString("id"));
          flowing.countDown();
        } catch (Exception e) {
          return;
        }
      }
    }, "loader");
    sending.setDaemon(true);
    sending.start();

    NodeScript script = NodeScript.start("recovery-restart.js", "http://127.0.0.1:" + balancer.port(), "missed=3");
    open.add(script);
    try {
      script.expect("ready");
      assertThat(flowing.await(20, SECONDS)).as("the load runs").isTrue();
      one.kill();
      balancer.target(two.port());
      script.send("restarted");
      RecoveryChecks.recoveredAfterTheRestart(script);
    } catch (AssertionError | RuntimeException e) {
      System.out.println(script.transcript());
      System.out.println(one.output());
      throw e;
    }
    sending.join(10_000);

    // Every acknowledged message is in the store, in a room whose seqs have no hole.
    ChatClient reader = ChatClient.chat(two.port(), "loader", loaderSession.getString("guestKey"));
    open.add(reader);
    reader.session();
    Set<String> stored = new java.util.HashSet<>();
    long after = 0;
    long expectedSeq = 1;
    while (true) {
      JSONObject page = reader.request("history", "roomId", load, "after", after, "limit", 100);
      JSONArray messages = page.getJSONArray("messages");
      for (int i = 0; i < messages.length(); i++) {
        JSONObject m = messages.getJSONObject(i);
        assertThat(m.getLong("seq")).as("gap-free seqs").isEqualTo(expectedSeq++);
        stored.add(m.getString("id"));
        after = m.getLong("seq");
      }
      if (!page.getBoolean("hasMore")) {
        break;
      }
    }
    assertThat(acked).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(50);
    assertThat(stored).as("every acknowledged message survived the kill").containsAll(acked);
  }

  @Test
  void whilePostgresqlIsAwaySendsFailClearlyAndTheNodesRecoverByThemselves() throws Exception {
    URI pgUri = URI.create(ChatServerPostgresIT.URL.substring("jdbc:".length()));
    TcpProxy database = new TcpProxy(pgUri.getPort() < 0 ? 5432 : pgUri.getPort());
    open.add(database);
    dbUrl = dbUrl.replaceFirst(":" + (pgUri.getPort() < 0 ? 5432 : pgUri.getPort()) + "/", ":" + database.port() + "/");
    Parley one = node(1, REDIS);
    Parley two = node(2, REDIS);
    ChatClient ada = guest(one, "ada");
    ChatClient bob = guest(two, "bob");
    String general = generalOf(ada.session());
    bob.session();
    send(ada, general, "before");
    assertThat(texts(bob, 1)).hasSize(1);

    database.down();
    awaitStatus(new Http(one.port()), "/readyz", 503);
    awaitStatus(new Http(two.port()), "/readyz", 503);
    JSONObject refused = ada.request("message:send", "roomId", general, "text", "during", "clientMsgId", "during-1");
    assertThat(refused.optBoolean("ok")).as("never a false ack: %s", refused).isFalse();
    assertThat(refused.getJSONObject("error").getString("code")).isEqualTo("unavailable");
    JSONObject history = bob.request("history", "roomId", general, "limit", 10);
    assertThat(history.optBoolean("ok")).as("%s", history).isFalse();

    database.restore();
    awaitStatus(new Http(one.port()), "/readyz", 200);
    awaitStatus(new Http(two.port()), "/readyz", 200);
    JSONObject stored = ada.request("message:send", "roomId", general, "text", "during", "clientMsgId", "during-1");
    assertThat(stored.optBoolean("ok")).as("the same send once the database is back: %s", stored).isTrue();
    assertThat(texts(bob, 1)).containsExactly(stored.getString("id"));
    JSONArray page = bob.request("history", "roomId", general, "limit", 10).getJSONArray("messages");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < page.length(); i++) {
      texts.add(page.getJSONObject(i).getString("text"));
    }
    assertThat(texts).as("the retried send stored once").containsExactly("before", "during");
  }

  @Test
  void theTutorialsPagesOnDifferentNodesTalkListAndWhisperToEachOther() throws Exception {
    Parley one = node(1, REDIS);
    Parley two = node(2, REDIS);
    ChatClient alice = ChatClient.tutorial(one.port());
    open.add(alice);
    ChatClient bob = ChatClient.tutorial(two.port());
    open.add(bob);
    alice.next("loadMessages");
    bob.next("loadMessages");
    alice.socket.emit("join", "alice");
    bob.socket.emit("join", "bob");
    awaitUserList(alice, "alice", "bob");
    awaitUserList(bob, "alice", "bob");

    alice.socket.emit("message", "hello from node one");
    assertThat(awaitTutorialMessage(bob, "alice: hello from node one")).isTrue();
    bob.socket.emit("privateMessage", new JSONObject(Map.of("to", "alice", "message", "psst")));
    assertThat(awaitTutorialMessage(alice, "(Private) bob: psst")).isTrue();

    bob.close();
    awaitUserList(alice, "alice");
  }

  @Test
  void aReconnectStormAfterANodeDiesLandsOnTheOtherNodeWhichKeepsServing() throws Exception {
    NodeScript.requireClient();
    int portOne = ParleyProcess.freePort();
    ParleyProcess one = nodeProcess(1, portOne);
    Parley two = node(2, REDIS);
    TcpProxy balancer = new TcpProxy(portOne);
    open.add(balancer);
    ChatClient watcher = guest(two, "watcher");
    watcher.session();

    int count = 300;
    NodeScript storm = NodeScript.start("storm.js", "http://127.0.0.1:" + balancer.port(), "count=" + count);
    open.add(storm);
    try {
      storm.expect("ready");
      one.kill();
      balancer.target(two.port());
      storm.send("moved");
      JsonNode result = storm.expect("result");
      storm.awaitSuccess();
      assertThat(result.get("recovered").asInt()).as("every client recovered its session: %s", result)
          .isEqualTo(count);
      assertThat(result.get("received").asInt()).as("and got the next message once: %s", result).isEqualTo(count);
    } catch (AssertionError | RuntimeException e) {
      System.out.println(storm.transcript());
      throw e;
    }
    assertThat(new Http(two.port()).get("/readyz").statusCode()).as("the surviving node stays ready").isEqualTo(200);
    assertThat(watcher.request("rooms:list").optBoolean("ok")).as("and answers its own clients").isTrue();
  }

  @Test
  void twoClustersOnOneRedisDoNotHearEachOther() throws Exception {
    Parley a = node(1, REDIS);
    String other = "cluster_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    pg("CREATE SCHEMA " + other);
    open.add(() -> pg("DROP SCHEMA IF EXISTS " + other + " CASCADE"));
    String base = ChatServerPostgresIT.URL;
    Parley b = ParleyHarness.start(dataDir.resolve("other"), "--db",
        base + (base.contains("?") ? "&" : "?") + "currentSchema=" + other, "--redis", REDIS,
        "--node-id", Integer.toString(nodeBase + 1));
    open.add(b);
    ChatClient ada = guest(a, "ada");
    ChatClient cy = guest(b, "cy");
    String generalA = generalOf(ada.session());
    String generalB = generalOf(cy.session());

    for (int i = 0; i < 3; i++) {
      send(cy, generalB, "in the other cluster " + i);
    }
    assertThat(texts(cy, 3)).hasSize(3);
    String own = send(ada, generalA, "in this cluster").getString("id");
    assertThat(texts(ada, 1)).as("only its own cluster's message, not lost behind the other's ids")
        .containsExactly(own);
    assertThat(ada.log()).noneMatch(e -> e.contains("in the other cluster"));
    assertThat(cy.log()).noneMatch(e -> e.contains("in this cluster"));
  }

  @Test
  void onARedisThatHidesItsClientsAKilledNodeIsTakenOverOnceItsClaimLapses() throws Exception {
    // A managed Redis may forbid CLIENT LIST: a restarted node then waits for its old claim to expire.
    String user = "parley_it_" + nodeBase;
    String password = UUID.randomUUID().toString();
    redisCli("ACL", "SETUSER", user, "on", ">" + password, "~*", "&*", "+@all", "-client|list");
    open.add(() -> redisCli("ACL", "DELUSER", user));
    URI redis = URI.create(REDIS);
    String restricted = "redis://" + user + ":" + password + "@" + redis.getHost() + ":" + redis.getPort();

    ParleyProcess first = nodeProcess(1, ParleyProcess.freePort(), restricted);
    first.kill();
    long start = System.nanoTime();
    ParleyProcess again = nodeProcess(1, ParleyProcess.freePort(), restricted);
    assertThat(again.output()).contains("waiting up to").contains("taking it over");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within the claim's lifetime and a little")
        .isLessThan(Duration.ofSeconds(25));
  }

  private static void redisCli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-u", REDIS));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as("redis-cli %s: %s", List.of(args), out).isZero();
    assertThat(out).as("redis-cli %s", List.of(args)).doesNotStartWith("ERR");
  }

  @Test
  void clusteringNeedsPostgresql() {
    assertThatThrownBy(() -> ParleyHarness.start(dataDir, "--redis", REDIS))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("PostgreSQL");
  }

  @Test
  void aNodeIdHeldByARunningNodeIsRefused() {
    node(1, REDIS);
    long start = System.nanoTime();
    assertThatThrownBy(() -> node(1, REDIS)).hasMessageContaining("node id " + (nodeBase + 1));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("after the claim's lifetime at most")
        .isLessThan(Duration.ofSeconds(30));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** The next presence event about {@code userId} at {@code client}: whether it says online. */
  private static boolean presenceOf(ChatClient client, String userId) throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Object event = client.queue("presence").poll(100, TimeUnit.MILLISECONDS);
      if (event instanceof JSONObject p && p.getJSONObject("user").getString("id").equals(userId)) {
        return p.getJSONObject("user").getBoolean("online");
      }
    }
    throw new AssertionError("no presence of " + userId + " within 10 s: " + client.log());
  }

  /** Every presence event about {@code userId} at {@code client} so far, as "true"/"false". */
  private static List<String> presenceLog(ChatClient client, String userId) {
    return client.log().stream().filter(e -> e.startsWith("presence ") && e.contains("\"id\":\"" + userId + "\""))
        .map(e -> e.contains("\"online\":true") ? "true" : "false").toList();
  }

  /** Waits at most 10 s for a userList naming exactly {@code names}, in any order. */
  private static void awaitUserList(ChatClient client, String... names) throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Object list = client.queue("userList").poll(100, TimeUnit.MILLISECONDS);
      if (list instanceof JSONArray a) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < a.length(); i++) {
          got.add(a.getString(i));
        }
        if (got.size() == names.length && got.containsAll(List.of(names))) {
          return;
        }
      }
    }
    throw new AssertionError("no userList of " + List.of(names) + " within 10 s: " + client.log());
  }

  private static boolean awaitTutorialMessage(ChatClient client, String text) throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Object m = client.queue("message").poll(100, TimeUnit.MILLISECONDS);
      if (text.equals(m)) {
        return true;
      }
    }
    throw new AssertionError("no message '" + text + "' within 10 s: " + client.log());
  }

  /** The ids of the next {@code count} text messages at {@code client}. */
  private static List<String> texts(ChatClient client, int count) throws Exception {
    List<String> ids = new ArrayList<>();
    while (ids.size() < count) {
      JSONObject m = nextMessage(client);
      if (m.getString("kind").equals("text")) {
        ids.add(m.getString("id"));
      }
    }
    return ids;
  }

  private static void awaitStatus(Http http, String path, int status) throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(15);
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = http.get(path).statusCode();
      if (last == status) {
        return;
      }
      // Polling a status the server changes by itself: a short pause between bounded tries.
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError(path + " answered " + last + ", not " + status + ", for 15 s");
  }

  /** A small HTTP client for one node. */
  private static final class Http {
    private final HttpClient client = HttpClient.newHttpClient();
    private final String origin;

    Http(int port) {
      this.origin = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(10));
      for (int i = 0; i < headers.length; i += 2) {
        b.header(headers[i], headers[i + 1]);
      }
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(10))
          .header("Origin", origin)
          .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (!body.isEmpty()) {
        b.header("Content-Type", "application/json");
      }
      for (int i = 0; i < headers.length; i += 2) {
        b.header(headers[i], headers[i + 1]);
      }
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static JSONObject waitForText(ChatClient client, String text) throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JSONObject m = nextMessage(client);
      if (m.getString("text").equals(text)) {
        return m;
      }
    }
    throw new AssertionError("no message '" + text + "' within 10 s: " + client.log());
  }
}
