package dev.parley.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.socket.client.IO;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Nothing a client sends can crash the server or another client's session: while two well-behaved
 * users chat (one over WebSocket, one over long-polling), four others throw everything at the same
 * node at once — malformed Engine.IO and Socket.IO packets over raw WebSocket and over polling,
 * binary frames out of place, payloads over maxPayload, wrong namespaces and credentials, unknown
 * events, and requests with values of the wrong JSON type. Afterwards each well-behaved user has
 * received every message of the other once, in order, and was never disconnected; the server
 * logged no error, /healthz answers and a newcomer can chat.
 */
@Timeout(240)
class BarrageIT {
  private static final int MESSAGES = 120;
  private static final String OVER_MAX_PAYLOAD = "x".repeat(1_000_001);

  @TempDir
  Path dir;
  Parley parley;
  int port;
  String general;
  final List<ChatClient> clients = new ArrayList<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  final AtomicInteger names = new AtomicInteger();

  @BeforeEach
  void start() {
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    parley = ParleyHarness.start(dir);
    port = parley.port();
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    if (parley != null) {
      parley.close();
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
  }

  @Test
  void nothingAClientSendsCrashesTheServerOrAnotherClientsSession() throws Exception {
    ChatClient ada = track(ChatClient.chat(port, "ada"));
    IO.Options polling = IO.Options.builder().setTransports(new String[] {"polling"}).build();
    ChatClient bob = track(ChatClient.chat(URI.create("http://127.0.0.1:" + port), "bob", polling));
    general = ChatServerIT.generalId(ada.session());
    bob.session();

    AtomicBoolean chatting = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> attackers = List.of(
          pool.submit(() -> repeat(chatting, this::rawWebSocketGarbage)),
          pool.submit(() -> repeat(chatting, this::rawPollingGarbage)),
          pool.submit(() -> repeat(chatting, this::wrongTypeRequests)),
          pool.submit(() -> repeat(chatting, this::oversizedAndUnwelcome)));
      Future<List<String>> adaSaid = pool.submit(() -> say(ada, "ada"));
      Future<List<String>> bobSaid = pool.submit(() -> say(bob, "bob"));
      List<String> fromAda = adaSaid.get(150, SECONDS);
      List<String> fromBob = bobSaid.get(150, SECONDS);
      chatting.set(false);
      for (Future<Integer> attacker : attackers) {
        assertThat(attacker.get(60, SECONDS)).as("rounds of an attacker").isGreaterThanOrEqualTo(2);
      }

      assertThat(heardFrom(bob, ada, "ada")).as("what bob got from ada").isEqualTo(fromAda);
      assertThat(heardFrom(ada, bob, "bob")).as("what ada got from bob").isEqualTo(fromBob);
    } finally {
      chatting.set(false);
      pool.shutdownNow();
    }
    assertThat(ada.queue(io.socket.client.Socket.EVENT_DISCONNECT)).isEmpty();
    assertThat(bob.queue(io.socket.client.Socket.EVENT_DISCONNECT)).isEmpty();
    assertThat(ada.socket.connected()).isTrue();
    assertThat(bob.socket.connected()).isTrue();
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
    ChatClient newcomer = track(ChatClient.chat(port, "newcomer"));
    newcomer.session();
    ChatServerIT.send(newcomer, general, "hello after the storm");
    assertThat(log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
        || e.getThrowableProxy() != null && e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList())
        .as("errors the server logged").isEmpty();
  }

  // ---- the well-behaved ------------------------------------------------------------------------

  private List<String> say(ChatClient client, String name) throws Exception {
    List<String> said = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      said.add(name + " says " + i);
      ChatServerIT.send(client, general, said.get(i));
    }
    return said;
  }

  /**
   * The texts {@code listener} received from {@code name}, until a marker {@code speaker} sends
   * after everything else: so nothing sent before it, a copy included, can still be on its way.
   * The room's seqs the listener saw rise one at a time.
   */
  private List<String> heardFrom(ChatClient listener, ChatClient speaker, String name) throws Exception {
    String marker = name + " is done";
    ChatServerIT.send(speaker, general, marker);
    List<String> heard = new ArrayList<>();
    long lastSeq = -1;
    while (true) {
      JSONObject m = listener.nextObject("message");
      long seq = m.getLong("seq");
      assertThat(lastSeq < 0 || seq == lastSeq + 1).as("seq %s after %s", seq, lastSeq).isTrue();
      lastSeq = seq;
      if (!"text".equals(m.getString("kind")) || !name.equals(m.getJSONObject("user").getString("name"))) {
        continue;
      }
      if (m.getString("text").equals(marker)) {
        return heard;
      }
      heard.add(m.getString("text"));
    }
  }

  // ---- the others ------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Attack {
    void run() throws Exception;
  }

  /** Runs {@code attack} again and again while the others chat (at least twice); returns how often. */
  private static int repeat(AtomicBoolean chatting, Attack attack) throws Exception {
    int rounds = 0;
    while (chatting.get() || rounds < 2) {
      attack.run();
      rounds++;
    }
    return rounds;
  }

  /**
   * Frames no Socket.IO client should send, each on a fresh Engine.IO session over WebSocket,
   * before and after connecting to /chat. Each is followed by a probe, so that the server has
   * dealt with it (answered the probe, or closed the connection) before the next.
   */
  private void rawWebSocketGarbage() throws Exception {
    String nested = "[".repeat(2000) + "]".repeat(2000);
    List<Object> beforeConnecting = List.of("", "9", "4", "4x", "40/chat", "40/chat,{", "40/chat,[]", "40/chat,\"x\"",
        "40/chat,{\"name\":{}}", "40/chat,{\"token\":42}", "40/chat,{\"name\":\"<script>\"}", "40/nope,{}",
        "40/chat,{\"name\":\"" + "n".repeat(5000) + "\"}", "40/chat," + nested, "41", "44/chat,{}",
        "42/chat,[\"message:send\",{}]", "43/chat,1[]", "2", "3", "5", "6", "1", new byte[] {4, 1, 2, 3},
        List.of("451-/chat,[\"x\",{\"_placeholder\":true,\"num\":0}]", "40"));
    for (Object garbage : beforeConnecting) {
      try (RawSocketIo raw = RawSocketIo.open(port)) {
        send(raw, garbage);
        send(raw, "40/chat,{\"name\":\"raw-" + names.incrementAndGet() + "\"}");
        String answer = raw.nextOrClosed(p -> p.startsWith("40/chat,") || p.startsWith("44/chat,"),
            "the probe after " + label(garbage));
        assertThat(answer).isNotNull();
      }
    }
    String g = "\"" + general + "\"";
    List<Object> afterConnecting = List.of("42/chat,[\"message:send\",{\"roomId\":{},\"text\":1}]",
        "42/chat,5[\"message:send\",{\"roomId\":" + g + ",\"roomId\":{},\"text\":\"a\",\"clientMsgId\":\"d\"}]",
        "42/chat,6[\"no:such:event\",{}]", "42/chat,[1]", "42/chat,[]", "42/chat,[null]", "42/chat,[\"connect\"]",
        "42/chat,7[\"history\",{\"roomId\":1e400}]", "42/chat,8[\"history\",{\"roomId\":" + "9".repeat(1001) + "}]",
        "42/chat,9[\"sync\"," + nested + "]", "43/chat,12345[]", "42/other,[\"x\"]",
        List.of("452-/chat,10[\"message:send\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
            new byte[] {1}, new byte[] {2}),
        List.of("451-/chat,11[\"message:send\",{\"_placeholder\":true,\"num\":3}]", new byte[] {1}),
        List.of("451-/chat,11[\"message:send\",{\"_placeholder\":true,\"num\":0}]", "42/chat,[\"x\"]"),
        "42/chat,12[\"message:send\",{\"roomId\":" + g + ",\"text\":\"" + "t".repeat(900_000)
            + "\",\"clientMsgId\":\"big\"}]",
        "41/chat,");
    for (Object garbage : afterConnecting) {
      try (RawSocketIo raw = RawSocketIo.chat(port, "raw-" + names.incrementAndGet())) {
        send(raw, garbage);
        send(raw, "42/chat,999[\"rooms:list\",{}]");
        String answer = raw.nextOrClosed(p -> p.startsWith("43/chat,999["), "the probe after " + label(garbage));
        assertThat(answer).isNotNull();
      }
    }
    for (boolean connected : new boolean[] {false, true}) {
      assertThat(closeStatusAfterAMessageOverMaxPayload(connected)).isEqualTo(1009);
    }
  }

  /**
   * Sends a message over maxPayload on a WebSocket written by hand on a plain socket (the JDK's and
   * the official client's WebSockets do not always report a close that comes while they are still
   * sending), after connecting to /chat or not, and returns the status of the server's close frame.
   */
  private int closeStatusAfterAMessageOverMaxPayload(boolean connected) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      java.io.OutputStream out = socket.getOutputStream();
      java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
      out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101");
      if (connected) {
        out.write(maskedTextFrame("40/chat,{\"name\":\"plain-" + names.incrementAndGet() + "\"}"));
      }
      String message = "42/chat,1[\"message:send\",{\"roomId\":\"" + general + "\",\"text\":\"" + OVER_MAX_PAYLOAD
          + "\",\"clientMsgId\":\"over\"}]";
      try {
        out.write(maskedTextFrame(message));
      } catch (java.io.IOException e) {
        // closed while still sending: the close frame may be in the input already
      }
      while (true) {
        int first = in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7f;
        long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
        byte[] payload = new byte[(int) size];
        in.readFully(payload);
        if ((first & 0x0f) == 8) {
          return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
      }
    }
  }

  private static byte[] maskedTextFrame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift) & 0xff);
      }
    }
    byte[] mask = {1, 2, 3, 4};
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  /**
   * The same over long-polling: bodies that are no packets, packets out of place, a body over
   * maxPayload, sessions that do not exist. A session that connected to /chat is polled for the
   * answers to its requests, and they come.
   */
  private void rawPollingGarbage() throws Exception {
    String base = "http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling";
    for (String body : List.of("garbage", "4", "\u001e\u001e\u001e", "b!!!not base64", "40/nope,{}", "1", "6",
        "451-/chat,[\"x\",{\"_placeholder\":true}]", "4" + OVER_MAX_PAYLOAD)) {
      HttpResponse<String> posted = post(base + "&sid=" + handshake(base), body);
      assertThat(posted.statusCode()).as("POST %s", label(body)).isIn(200, 400, 413);
    }
    // As a client does, the events only once the CONNECT is answered (an event for a namespace not
    // yet connected ends the session, as on the reference server).
    String sid = handshake(base);
    assertThat(post(base + "&sid=" + sid, "40/chat,{\"name\":\"poll-" + names.incrementAndGet() + "\"}").statusCode())
        .isEqualTo(200);
    StringBuilder received = new StringBuilder();
    pollUntil(base + "&sid=" + sid, received, "40/chat,{\"sid\"");
    HttpResponse<String> posted = post(base + "&sid=" + sid, "42/chat,1[\"message:send\",{\"roomId\":{}}]"
        + "\u001e42/chat,[\"no:such\"]\u001e42/chat,2[\"history\",{\"roomId\":\"" + general + "\",\"limit\":\"10\"}]"
        + "\u001e451-/chat,[\"x\",{\"_placeholder\":true,\"num\":0}]\u001ebAQI=\u001e42/chat,3[\"rooms:list\",{}]");
    assertThat(posted.statusCode()).isEqualTo(200);
    pollUntil(base + "&sid=" + sid, received, "43/chat,3[");
    assertThat(received.toString()).contains("43/chat,1[{\"ok\":false", "43/chat,2[{\"ok\":false");
    post(base + "&sid=" + sid, "1");
    for (String query : List.of("&sid=nope", "&sid=")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + query)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(query).isEqualTo(400);
    }
  }

  /** Polls until what was received contains {@code wanted}; each poll must succeed. */
  private void pollUntil(String url, StringBuilder received, String wanted) throws Exception {
    while (!received.toString().contains(wanted)) {
      HttpResponse<String> polled = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(polled.statusCode()).as("polling for %s after %s", wanted, received).isEqualTo(200);
      received.append(polled.body()).append('\u001e');
    }
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String handshake(String base) throws Exception {
    HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(open.body()).startsWith("0{");
    return new JSONObject(open.body().substring(1)).getString("sid");
  }

  /**
   * An official client's requests with values of the wrong JSON type, unknown events, no acks,
   * binary; and the same thrown at the tutorial's namespace.
   */
  private void wrongTypeRequests() throws Exception {
    try (ChatClient mallory = ChatClient.chat(port, "mallory-" + names.incrementAndGet())) {
      mallory.session();
      Object[] wrong = {new JSONObject().put("$gt", ""), new JSONArray().put(1), 42, true, JSONObject.NULL,
          new java.math.BigInteger("1" + "0".repeat(30)), new byte[] {1, 2}};
      for (String event : List.of("rooms:list", "room:create", "room:join", "room:leave", "room:members", "room:invite",
          "room:kick", "room:role", "dm:open", "message:send", "history", "sync", "read", "typing")) {
        for (Object value : wrong) {
          if (!(value instanceof JSONObject)) {
            JSONObject reply = (JSONObject) mallory.requestWithArgs(event, value);
            assertThat(reply.getJSONObject("error").getString("code")).as("%s %s", event, label(value))
                .isEqualTo("invalid_argument");
          }
          JSONObject request = new JSONObject().put("roomId", value).put("userId", value).put("name", value)
              .put("text", value).put("clientMsgId", value).put("seq", value).put("rooms", value).put("role", value)
              .put("typing", value).put("limit", value);
          if (!event.equals("rooms:list")) {
            JSONObject reply = (JSONObject) mallory.requestWithArgs(event, request);
            assertThat(reply.getBoolean("ok")).as("%s %s", event, request).isFalse();
          }
        }
        mallory.socket.emit(event, new JSONObject().put("roomId", general).put("text", "no ack").put("clientMsgId", "n"));
      }
      mallory.socket.emit("no:such:event", 1, 2, 3);
      mallory.socket.emit("message", "the tutorial's event on /chat");
      assertThat(mallory.request("rooms:list").getBoolean("ok")).isTrue();

      // The tutorial's namespace takes the same, and its page still chats afterwards.
      try (ChatClient page = ChatClient.tutorial(port)) {
        page.next("loadMessages");
        for (String event : List.of("join", "message", "typing", "privateMessage", "userList", "no:such:event")) {
          for (Object value : wrong) {
            page.socket.emit(event, value);
          }
          page.socket.emit(event);
          page.socket.emit(event, new JSONObject().put("to", 42).put("message", new JSONArray()), "extra");
        }
        String line = "a tutorial page after the garbage " + names.incrementAndGet();
        page.socket.emit("message", line);
        while (!((String) page.next("message")).endsWith(": " + line)) {
          // the others' messages in general
        }
      }
    }
  }

  /** Texts far over the limit, a namespace that does not exist, credentials that prove nothing. */
  private void oversizedAndUnwelcome() throws Exception {
    IO.Options options = IO.Options.builder().setTransports(new String[] {"websocket"}).setReconnection(false)
        .setForceNew(true).build();
    io.socket.client.Socket nowhere = IO.socket(URI.create("http://127.0.0.1:" + port + "/nope"), options);
    java.util.concurrent.BlockingQueue<Object> refused = new java.util.concurrent.LinkedBlockingQueue<>();
    nowhere.on(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> refused.add(args[0]));
    nowhere.connect();
    try {
      assertThat(String.valueOf(refused.poll(5, SECONDS))).contains("Invalid namespace");
    } finally {
      nowhere.close();
    }
    try (ChatClient forged = ChatClient.signedIn(port, Map.of("token", "parley_pat_forged"), "parley_session=forged")) {
      assertThat(((JSONObject) forged.connectError()).getString("message")).isEqualTo("unauthorized");
    }
    try (ChatClient big = ChatClient.chat(port, "big-" + names.incrementAndGet())) {
      big.session();
      JSONObject tooLong = big.request("message:send", "roomId", general, "text", "t".repeat(500_000),
          "clientMsgId", "long");
      assertThat(tooLong.getJSONObject("error").getString("code")).isEqualTo("too_long");
      // (A message over maxPayload closes the connection: the raw clients above send those. The
      // official Java client may not notice the close until its heartbeat times out.)
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private ChatClient track(ChatClient client) {
    clients.add(client);
    return client;
  }

  /**
   * Sends a text frame, a binary frame, or several in a row; a frame the server no longer takes
   * (it closed the connection over an earlier one) is dropped: the probe that follows sees the close.
   */
  private static void send(RawSocketIo raw, Object frames) throws Exception {
    if (frames instanceof String || frames instanceof byte[]) {
      try {
        if (frames instanceof String text) {
          raw.send(text);
        } else {
          raw.sendBinary((byte[]) frames);
        }
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        assertThat(raw.isClosed() || e.getCause() instanceof java.io.IOException).as("%s", e).isTrue();
      }
    } else {
      for (Object frame : (List<?>) frames) {
        send(raw, frame);
      }
    }
  }

  private static String label(Object value) {
    String text = value instanceof byte[] b ? "(" + b.length + " bytes)" : String.valueOf(value);
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}
