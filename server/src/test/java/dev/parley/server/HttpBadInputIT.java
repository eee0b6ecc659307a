package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input over HTTP against a real node serving a --public-dir: every accounts API route answers
 * a field of the wrong JSON type, or a body that is no JSON object, with 400 and an error body;
 * no spelling of a path (percent-escapes of dots, slashes and letters, %u escapes, overlong
 * UTF-8, NUL, ';', '//', '/./', '\', trailing dots, other letter cases) reaches a protected route
 * without its sign-in check, or a file outside the public folder or the built-in app; and every
 * such request, even one the HTTP codec cannot read, gets a 4xx answer, never a 500 nor a closed
 * connection. Paths are sent as written over a plain socket, where java.net.URI would refuse or
 * normalise them.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpBadInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery staple";
  private static final String SECRET = "the secret next to the public folder";

  @TempDir
  static Path dir;
  Parley parley;
  String origin;
  Path secret;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start() throws IOException {
    Path pub = Files.createDirectories(dir.resolve("public"));
    Files.writeString(pub.resolve("index.html"), "<p>the user's own page</p>");
    Files.writeString(Files.createDirectories(pub.resolve("sub")).resolve("page.txt"), "a page in a folder");
    secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
    Files.createSymbolicLink(pub.resolve("outside.txt"), secret);
    Files.createSymbolicLink(pub.resolve("up"), dir);
    parley = ParleyHarness.start(dir.resolve("data"), "--public-dir", pub.toString());
    origin = "http://127.0.0.1:" + parley.port();
  }

  @AfterAll
  void stop() {
    if (parley != null) {
      parley.close();
    }
  }

  // ---- the accounts API: JSON of the wrong type ---------------------------------------------------

  private static final List<String> NOT_A_STRING = List.of("42", "-1", "1.5", "1e400", "-1e400",
      "1" + "0".repeat(40), "true", "false", "{}", "{\"$gt\":\"\"}", "[]", "[\"ada\"]", nested(300));
  private static final List<String> NOT_DAYS = List.of("\"30\"", "\"\"", "1.5", "30.0", "0", "-1", "367", "1e400",
      "1" + "0".repeat(40), "true", "{}", "[30]", nested(300));

  /** A route, a valid body, and its fields: name, required, whether a whole number. */
  private record Route(String path, Map<String, String> body, List<String[]> fields) {}

  private static List<Route> routes() {
    String pw = "\"" + PASSWORD + "\"";
    return List.of(
        new Route("/register", Map.of("username", "\"newcomer\"", "password", pw, "displayName", "\"N\"",
            "email", "\"n@example.org\""), List.of(new String[] {"username", "required"},
                new String[] {"password", "required"}, new String[] {"displayName", "optional"},
                new String[] {"email", "optional"})),
        new Route("/signin", Map.of("username", "\"ada\"", "password", pw), List.of(
            new String[] {"username", "required"}, new String[] {"password", "required"})),
        new Route("/password", Map.of("currentPassword", pw, "newPassword", pw), List.of(
            new String[] {"currentPassword", "required"}, new String[] {"newPassword", "required"})),
        new Route("/token", Map.of("refreshToken", "\"parley_rt_x\""), List.<String[]>of(
            new String[] {"refreshToken", "optional"})),
        new Route("/token/refresh", Map.of("refreshToken", "\"parley_rt_x\""), List.<String[]>of(
            new String[] {"refreshToken", "required"})),
        new Route("/tokens", Map.of("name", "\"bot\"", "expiresInDays", "30"), List.of(
            new String[] {"name", "required"}, new String[] {"expiresInDays", "days"})),
        new Route("/signout", Map.of(), List.of()),
        new Route("/totp/setup", Map.of(), List.of()),
        new Route("/totp/enable", Map.of("code", "\"123456\""), List.<String[]>of(new String[] {"code", "required"})),
        new Route("/totp/disable", Map.of("password", pw, "code", "\"123456\""), List.of(
            new String[] {"password", "required"}, new String[] {"code", "required"})),
        new Route("/totp/verify", Map.of("challenge", "\"x\"", "code", "\"123456\""), List.of(
            new String[] {"challenge", "required"}, new String[] {"code", "required"})));
  }

  @TestFactory
  Stream<DynamicTest> everyApiFieldOfTheWrongTypeIs400() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Route route : routes()) {
      for (String[] field : route.fields()) {
        List<String> values = new ArrayList<>(field[1].equals("days") ? NOT_DAYS : NOT_A_STRING);
        if (field[1].equals("required")) {
          values.add("null");
          values.add(null);
        }
        for (String value : values) {
          StringBuilder body = new StringBuilder("{");
          route.body().forEach((k, v) -> {
            if (!k.equals(field[0])) {
              body.append(body.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v);
            }
          });
          if (value != null) {
            body.append(body.length() > 1 ? "," : "").append('"').append(field[0]).append("\":").append(value);
          }
          body.append('}');
          String label = route.path() + " " + field[0] + " = " + (value == null ? "(missing)" : shorten(value));
          tests.add(DynamicTest.dynamicTest(label, () -> assertInvalidBody(route.path(), body.toString())));
        }
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyApiBodyThatIsNoJsonObjectIs400() {
    List<String> bodies = List.of("[]", "[{}]", "\"{}\"", "42", "null", "true", "{", "{} {}", "{\"a\":1,}",
        "{'username':'ada'}", "{\"username\":\"ada\",\"username\":\"ada\"}", "{\"a\":{\"b\":1,\"b\":2}}",
        "{\"a\":" + "1".repeat(1001) + "}", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
        "\u0000");
    List<DynamicTest> tests = new ArrayList<>();
    for (Route route : routes()) {
      for (String body : bodies) {
        tests.add(DynamicTest.dynamicTest(route.path() + " " + shorten(body), () -> assertInvalidBody(route.path(), body)));
      }
    }
    return tests.stream();
  }

  private void assertInvalidBody(String route, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/auth" + route))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s %s: %s", route, shorten(body), r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("invalid_argument");
    assertThat(error.get("message").asText()).isNotBlank();
  }

  // ---- paths ----------------------------------------------------------------------------------------

  /**
   * Spellings of the protected routes: each is refused with 4xx, and those that decode to the
   * route itself are answered by its sign-in check (401), as the plain path is.
   */
  @TestFactory
  Stream<DynamicTest> noSpellingOfAProtectedRouteGetsPastItsSignInCheck() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String route : List.of("me", "tokens")) {
      String r = route;
      String first = r.substring(0, 1);
      String hexFirst = "%" + Integer.toHexString(first.charAt(0));
      List<String> exact = List.of("/api/v1/auth/" + r, "/api/v1/auth/" + hexFirst + r.substring(1),
          "/api/v1/auth/" + hexFirst.toUpperCase() + r.substring(1), "/api/v1/auth/" + r + "?x=%zz",
          "/api/v1/auth/" + r + "#x", "/api/v1/auth/" + r + "?" + r);
      List<String> other = List.of(
          "/api/v1/auth/%u00" + Integer.toHexString(first.charAt(0)) + r.substring(1),
          "/api/v1/auth/%u002e%u002e/auth/" + r, "/api/v1/auth/" + r + "%", "/api/v1/auth/" + r + "%2",
          "/api%2fv1%2fauth%2f" + r, "/api/v1/auth%2f" + r, "/%61pi/v1/auth/" + r, "/api/v1/auth/" + r + "%2f",
          "/api/v1/auth/%2e/" + r, "/api/v1/auth/%2E%2E/auth/" + r, "/api/v1/auth/x/..%2f" + r,
          "/api/v1/auth/..%2fauth%2f" + r, "/api/v1/x/../auth/" + r, "/api/v1/auth/./" + r, "/./api/v1/auth/" + r,
          "/api/./v1/auth/" + r, "//api/v1/auth/" + r, "/api//v1/auth/" + r, "/api/v1//auth/" + r,
          "/api/v1/auth//" + r, "/api/v1/auth/" + r + "/", "/api/v1/auth/" + r + ";", "/api/v1/auth/" + r + ";x=1",
          "/api;/v1/auth/" + r, "/api/v1;/auth/" + r, "/api\\v1\\auth\\" + r, "/api/v1/auth\\" + r,
          "/api/v1/auth/" + r + ".", "/api/v1/auth/" + r + "..", "/api/v1/auth/" + r + "%2e",
          "/api/v1/auth/" + r + "%00", "/api/v1/auth/" + r + "%00.json", "/api%00/v1/auth/" + r,
          "/api/v1/auth/" + r + "%c0%af", "/api/v1/auth/%c0%ae%c0%ae/auth/" + r, "/api/v1/auth/" + r + "%20",
          "/api/v1/auth/%20" + r, "/api/v1/auth/" + r + "%23", "/api/v1/auth/" + r + "%3f",
          "/API/v1/auth/" + r, "/Api/V1/Auth/" + r, "/api/V1/auth/" + r, "/api/v1/AUTH/" + r.toUpperCase(),
          "/api/v1/auth/" + r.toUpperCase(), "/api", "/api/", "/API", "*", origin + "/api/v1/auth/" + r);
      for (String path : exact) {
        tests.add(DynamicTest.dynamicTest("GET " + path + " → 401", () -> {
          Answer a = rawGet(path);
          assertThat(a.status()).as("GET %s: %s", path, a.body()).isEqualTo(401);
        }));
      }
      for (String path : other) {
        tests.add(DynamicTest.dynamicTest("GET " + path + " → 4xx", () -> {
          Answer a = rawGet(path);
          assertThat(a.status()).as("GET %s: %s", path, a.body()).isBetween(400, 499);
          assertThat(a.body()).doesNotContain("\"user\"", "\"tokens\"", "<div id=\"app\">");
        }));
      }
    }
    return tests.stream();
  }

  /** No spelling of a path leads out of the public folder or out of the app's packed files. */
  @TestFactory
  Stream<DynamicTest> nothingOutsideThePublicFolderOrTheAppIsServed() {
    String abs = secret.toString();
    List<String> paths = List.of("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt",
        "/%2e%2e%2fsecret.txt", "/..%2fsecret.txt", "/..%2Fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt",
        "/sub/..%2f..%2fsecret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/sub/../../secret.txt", "/./../secret.txt",
        "/sub%2f..%2f..%2fsecret.txt", "/%c0%ae%c0%ae/secret.txt", "/%c0%ae%c0%ae%c0%afsecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt", "/%u002e%u002e/secret.txt", "/%u002e%u002e%u2215secret.txt",
        "/%252e%252e/secret.txt", "/..;/secret.txt", "/..%00/secret.txt", "/secret.txt%00.html", "/....//secret.txt",
        "/.../secret.txt", "/" + abs, "//" + abs, "/%2f" + abs.substring(1).replace("/", "%2f"), "/outside.txt",
        "/outside.txt.", "/up/secret.txt", "/up/public/../secret.txt", "/sub/page.txt/../../secret.txt",
        "/index.html/..%2f..%2fsecret.txt", "/app/../secret.txt", "/app/..%2f..%2fsecret.txt",
        "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/socket.io/../secret.txt",
        "/socket.io/%2e%2e/secret.txt", "/socket.io/socket.io.js/..%2f..%2fsecret.txt",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/../../../../../../../../etc/passwd",
        "/%2e%2e/logback.xml", "/../dev/parley/server/Parley.class", "/%2e%2e/socketio-client/socket.io.js",
        "/assets/../../pom.xml", "/index.html.", "/index.html%20", "/index.html%00", "/sub/page.txt%00.png",
        "/SUB/page.txt", "/sub/page.txt;x=1");
    List<DynamicTest> tests = new ArrayList<>();
    for (String path : paths) {
      tests.add(DynamicTest.dynamicTest("GET " + path, () -> {
        Answer a = rawGet(path);
        assertThat(a.status()).as("GET %s: %s", path, a.body()).isBetween(400, 499);
        assertThat(a.body()).doesNotContain(SECRET, "root:", "<configuration");
      }));
    }
    return tests.stream();
  }

  @Test
  void theUsersFilesAndTheAppAreStillServed() throws Exception {
    assertThat(rawGet("/").body()).isEqualTo("<p>the user's own page</p>");
    assertThat(rawGet("/sub/page.txt").body()).isEqualTo("a page in a folder");
    assertThat(rawGet("/sub/./page.txt").body()).as("dots that stay inside").isEqualTo("a page in a folder");
    assertThat(rawGet("/sub%2fpage.txt").body()).isEqualTo("a page in a folder");
    assertThat(rawGet("/app/").body()).contains("<div id=\"app\">");
    assertThat(rawGet("/some/page").body()).as("a page of the app").contains("<div id=\"app\">");
  }

  @TestFactory
  Stream<DynamicTest> theEngineAnswersAMalformedEscape400() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String query : List.of("EIO=4&transport=polling&x=%u006d", "EIO=4&transport=polling%zz", "EIO=%u0034&transport=polling",
        "EIO=4&transport=polling&%", "EIO=4&transport=websocket&t=%u0000")) {
      tests.add(DynamicTest.dynamicTest("GET /socket.io/?" + query, () -> {
        Answer a = rawGet("/socket.io/?" + query);
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(JSON.readTree(a.body())).isEqualTo(JSON.readTree("{\"code\":3,\"message\":\"Bad request\"}"));
      }));
    }
    for (String path : List.of("/%u006d", "/x%", "/%zz", "/socket.io/%u002e", "/index%2")) {
      tests.add(DynamicTest.dynamicTest("GET " + path, () -> {
        Answer a = rawGet(path);
        assertThat(a.status()).as(a.body()).isEqualTo(400);
      }));
    }
    return tests.stream();
  }

  /** Requests the HTTP codec cannot read are answered, then the connection is closed. */
  @TestFactory
  Stream<DynamicTest> unreadableRequestsAreAnswered4xx() {
    String host = "Host: 127.0.0.1\r\nConnection: close\r\n\r\n";
    Map<String, String> requests = Map.of(
        "a space in the path", "GET /a b HTTP/1.1\r\n" + host,
        "a request line of 9,000 bytes", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + host,
        "headers of 20,000 bytes", "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n" + host,
        "headers of 20,000 bytes for the engine", "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nX-Big: "
            + "a".repeat(20_000) + "\r\n" + host,
        "not HTTP", "GARBAGE\r\n\r\n",
        "a TLS hello on the plain port", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003",
        "a control character in the path", "GET /\u0001 HTTP/1.1\r\n" + host,
        "an API request with headers of 20,000 bytes", "GET /api/v1/auth/me HTTP/1.1\r\nX-Big: " + "a".repeat(20_000)
            + "\r\n" + host);
    List<DynamicTest> tests = new ArrayList<>();
    requests.forEach((what, request) -> tests.add(DynamicTest.dynamicTest(what, () -> {
      Answer a = raw(request.getBytes(StandardCharsets.ISO_8859_1));
      assertThat(a.status()).as("%s: %s", what, a.body()).isBetween(400, 499);
      assertThat(a.body()).doesNotContain("<div id=\"app\">", "the user's own page");
    })));
    tests.add(DynamicTest.dynamicTest("the server carries on", () -> assertThat(rawGet("/healthz").status()).isEqualTo(200)));
    return tests.stream();
  }

  /**
   * A long-polling body over maxPayload (1 MB) gets its 413, declared or chunked: the server reads
   * what is left of it before closing, where closing at once reset the connection under the client,
   * which was still sending and never saw the answer.
   */
  @Test
  void aPollingBodyOverMaxPayloadIsAnswered413NotReset() throws Exception {
    String base = origin + "/socket.io/?EIO=4&transport=polling";
    byte[] body = ("4" + "x".repeat(1_000_000)).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 5; i++) {
      for (boolean chunked : new boolean[] {false, true}) {
        HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
            HttpResponse.BodyHandlers.ofString());
        String sid = JSON.readTree(open.body().substring(1)).get("sid").textValue();
        HttpRequest.BodyPublisher publisher = chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid))
            .timeout(Duration.ofSeconds(10)).POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(chunked ? "chunked" : "declared").isEqualTo(413);
      }
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------

  /** A status (0 when the connection closed without an answer) and the body. */
  record Answer(int status, String body) {}

  private Answer rawGet(String path) throws IOException {
    return raw(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + parley.port() + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** Sends bytes as they are and reads the answer until the server closes the connection. */
  private Answer raw(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", parley.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
        }
      } catch (java.net.SocketException e) {
        // reset after the answer, as a server may do when it stops reading a request
      }
      String response = out.toString(StandardCharsets.ISO_8859_1);
      if (response.isEmpty()) {
        return new Answer(0, "");
      }
      assertThat(response).startsWith("HTTP/1.");
      int headersEnd = response.indexOf("\r\n\r\n");
      String body = headersEnd < 0 ? "" : new String(out.toByteArray(), headersEnd + 4,
          out.size() - headersEnd - 4, StandardCharsets.UTF_8);
      return new Answer(Integer.parseInt(response.substring(9, 12)), body);
    }
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
