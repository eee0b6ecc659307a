package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XSS corpus of web/e2e/xss-corpus.json (markup, attribute breakouts, javascript: URLs,
 * entities, template syntax, right-to-left overrides, zero-width characters, a 4,000-character
 * line) is stored and passed on exactly as sent wherever free text goes: message text (read back
 * through history), room topics (through rooms:list), account display names (through /me), and
 * the tutorial namespace's names and lines, which go out unescaped because the tutorial's own
 * pages decide how to show them. Names that must be plain (guest and room names) refuse markup.
 * That browsers show all of it as text is web/e2e/xss-corpus.mjs's to check.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class XssCorpusIT {
  private static final Path CORPUS = Path.of("..", "web", "e2e", "xss-corpus.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir
  static Path dir;
  Parley parley;
  ChatClient ada;
  /** Clients that only listen, each connected by the test that reads its events. */
  final List<ChatClient> listeners = new ArrayList<>();
  String general;
  /** The payloads, the short ones (≤ 32 characters) and the long line. */
  List<String> payloads;
  List<String> shortPayloads;
  String longLine;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start() throws Exception {
    JsonNode corpus = JSON.readTree(CORPUS.toFile());
    payloads = strings(corpus.get("payloads"));
    shortPayloads = strings(corpus.get("shortPayloads"));
    String unit = corpus.get("longLine").get("unit").textValue();
    int length = corpus.get("longLine").get("length").intValue();
    longLine = unit.repeat(length / unit.length() + 1).substring(0, length);
    parley = ParleyHarness.start(dir.resolve("data"));
    ada = ChatClient.chat(parley.port(), "ada");
    general = ChatServerIT.generalId(ada.session());
  }

  /** A client of /chat that has its session, so that it hears everything sent from now on. */
  private ChatClient listener(String name) throws Exception {
    ChatClient client = ChatClient.chat(parley.port(), name);
    listeners.add(client);
    client.session();
    return client;
  }

  @AfterAll
  void stop() {
    listeners.forEach(ChatClient::close);
    if (ada != null) {
      ada.close();
    }
    if (parley != null) {
      parley.close();
    }
  }

  private List<String> all() {
    List<String> all = new ArrayList<>(payloads);
    all.addAll(shortPayloads);
    all.add(longLine);
    return all;
  }

  @Test
  void messagesAreDeliveredAndStoredExactlyAsSent() throws Exception {
    ChatClient bob = listener("bob");
    List<String> sent = all();
    long firstSeq = -1;
    for (String text : sent) {
      JSONObject ack = ChatServerIT.send(ada, general, text);
      firstSeq = firstSeq < 0 ? ack.getLong("seq") : firstSeq;
    }
    List<String> delivered = new ArrayList<>();
    while (delivered.size() < sent.size()) {
      JSONObject m = ChatServerIT.nextText(bob);
      if (m.getJSONObject("user").getString("name").equals("ada")) {
        delivered.add(m.getString("text"));
      }
    }
    assertThat(delivered).containsExactlyElementsOf(sent);

    JSONObject page = bob.request("history", "roomId", general, "after", firstSeq - 1, "limit", 100);
    assertThat(page.getBoolean("ok")).as("%s", page).isTrue();
    List<String> stored = new ArrayList<>();
    JSONArray messages = page.getJSONArray("messages");
    for (int i = 0; i < messages.length(); i++) {
      stored.add(messages.getJSONObject(i).getString("text"));
    }
    assertThat(stored).containsExactlyElementsOf(sent);
  }

  @Test
  void topicsAreStoredExactlyAsSent() throws Exception {
    Map<String, String> topics = new HashMap<>();
    List<String> all = new ArrayList<>(payloads);
    all.addAll(shortPayloads);
    for (int i = 0; i < all.size(); i++) {
      String name = "topic-" + i;
      JSONObject created = ada.request("room:create", "name", name, "topic", all.get(i));
      assertThat(created.getBoolean("ok")).as("%s", created).isTrue();
      assertThat(created.getJSONObject("room").getString("topic")).isEqualTo(all.get(i));
      topics.put(name, all.get(i));
    }
    JSONArray rooms = listener("reader").request("rooms:list").getJSONArray("rooms");
    Map<String, String> listed = new HashMap<>();
    for (int i = 0; i < rooms.length(); i++) {
      JSONObject room = rooms.getJSONObject(i);
      if (topics.containsKey(room.getString("name"))) {
        listed.put(room.getString("name"), room.getString("topic"));
      }
    }
    assertThat(listed).isEqualTo(topics);
  }

  /** Guest and room names are letters, digits, spaces and "_.-": markup is refused, other scripts kept. */
  @Test
  void markupIsNeitherARoomNameNorAGuestName() throws Exception {
    List<String> all = new ArrayList<>(payloads);
    all.addAll(shortPayloads);
    for (String name : all) {
      JSONObject refused = ada.request("room:create", "name", name);
      assertThat(refused.getBoolean("ok")).as("%s", name).isFalse();
      assertThat(refused.getJSONObject("error").getString("code")).as(name).isIn("invalid_argument", "too_long");
      try (ChatClient guest = ChatClient.chat(parley.port(), name)) {
        assertThat(((JSONObject) guest.connectError()).getString("message")).as(name).isEqualTo("invalid_name");
      }
    }
    for (String name : List.of("\u05e9\u05dc\u05d5\u05dd-ada", "\u0645\u0631\u062d\u0628\u0627 bob", "Zo\u00eb.\u00df_1",
        "\u540d\u524d", "\u0395\u03bb\u03ad\u03bd\u03b7")) {
      JSONObject created = ada.request("room:create", "name", name);
      assertThat(created.getBoolean("ok")).as("%s: %s", name, created).isTrue();
      assertThat(created.getJSONObject("room").getString("name")).isEqualTo(name);
      try (ChatClient guest = ChatClient.chat(parley.port(), name)) {
        assertThat(guest.session().getJSONObject("user").getString("name")).isEqualTo(name);
      }
    }
  }

  /** Some of the corpus (each account costs two password hashings): the short ones, and others that fit. */
  @Test
  void displayNamesAreStoredExactlyAsSent() throws Exception {
    int n = 0;
    List<String> some = new ArrayList<>(shortPayloads);
    payloads.stream().filter(p -> p.length() <= 64).limit(8).forEach(some::add);
    for (String displayName : some) {
      String username = "display-" + n++;
      ObjectNode body = JSON.createObjectNode().put("username", username).put("password", PASSWORD)
          .put("displayName", displayName);
      HttpResponse<String> registered = post("/api/v1/auth/register", body.toString(), null);
      assertThat(registered.statusCode()).as("%s: %s", displayName, registered.body()).isEqualTo(201);
      HttpResponse<String> signedIn = post("/api/v1/auth/signin",
          JSON.createObjectNode().put("username", username).put("password", PASSWORD).toString(), null);
      String cookie = signedIn.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
      HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/me"))
          .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(me.body()).get("user").get("displayName").textValue()).isEqualTo(displayName);
      assertThat(me.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }
    assertThat(n).as("display names tried").isEqualTo(shortPayloads.size() + 8);
  }

  /**
   * The tutorial namespace sends its strings ("name joined", the user list, "name is typing...",
   * "name: text" lines) as they are, without escaping: the tutorial's pages are the user's own
   * and choose how to render them (textContent in the tutorial's page).
   */
  @Test
  void theTutorialNamespacePassesNamesAndLinesOnUnescaped() throws Exception {
    ChatClient watcher = listener("watcher");
    try (ChatClient writer = ChatClient.tutorial(parley.port()); ChatClient reader = ChatClient.tutorial(parley.port())) {
      writer.next("loadMessages");
      reader.next("loadMessages");
      for (String name : shortPayloads) {
        writer.socket.emit("join", name);
        assertThat(nextOther(reader, "join", name)).isEqualTo(name);
        JSONArray online = (JSONArray) nextUntil(reader, "userList", l -> contains((JSONArray) l, name));
        assertThat(contains(online, name)).isTrue();
      }
      String lastName = shortPayloads.get(shortPayloads.size() - 1);
      writer.socket.emit("typing");
      assertThat(reader.next("typing")).isEqualTo(lastName + " is typing...");

      List<String> lines = new ArrayList<>();
      for (String text : payloads) {
        writer.socket.emit("message", text);
        JSONObject stored = ChatServerIT.nextText(watcher);
        assertThat(stored.getString("text")).isEqualTo(text);
        String line = stored.getJSONObject("user").getString("name") + ": " + text;
        assertThat(nextUntil(reader, "message", m -> m.equals(line))).isEqualTo(line);
        lines.add(line);
      }
      writer.socket.emit("privateMessage", new JSONObject().put("to", reader.socket.id()).put("message", payloads.get(1)));
      assertThat(nextUntil(reader, "message", m -> ((String) m).startsWith("(Private)")))
          .isEqualTo("(Private) " + lastName + ": " + payloads.get(1));

      try (ChatClient later = ChatClient.tutorial(parley.port())) {
        JSONArray loaded = (JSONArray) later.next("loadMessages");
        List<String> recent = new ArrayList<>();
        for (int i = 0; i < loaded.length(); i++) {
          recent.add(loaded.getString(i));
        }
        assertThat(recent).containsSubsequence(lines);
      }
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** The next {@code event} equal to {@code expected}, skipping others (earlier joins). */
  private static Object nextOther(ChatClient client, String event, String expected) throws Exception {
    return nextUntil(client, event, v -> v.equals(expected));
  }

  private static Object nextUntil(ChatClient client, String event, java.util.function.Predicate<Object> wanted)
      throws Exception {
    while (true) {
      Object value = client.next(event);
      if (wanted.test(value)) {
        return value;
      }
    }
  }

  private static boolean contains(JSONArray array, String value) {
    for (int i = 0; i < array.length(); i++) {
      if (value.equals(array.opt(i))) {
        return true;
      }
    }
    return false;
  }

  private String base() {
    return "http://127.0.0.1:" + parley.port();
  }

  private HttpResponse<String> post(String path, String body, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      b.header("Cookie", cookie).header("Origin", base());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.textValue()));
    return out;
  }
}
