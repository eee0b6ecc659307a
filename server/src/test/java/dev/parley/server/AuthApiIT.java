package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The accounts API of a real node, through a real HTTP client. */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthApiIT {
  static final String PASSWORD = "correct horse battery staple";
  static final String FOREIGN = "https://evil.example";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  Parley parley;
  String origin;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  void start() {
    parley = ParleyHarness.start(dir.resolve("data"));
    origin = "http://127.0.0.1:" + parley.port();
  }

  @AfterAll
  void stop() {
    if (parley != null) {
      parley.close();
    }
  }

  // ---- the round trip --------------------------------------------------------------------------

  @Test
  void registerSignInMeSignOut() throws Exception {
    HttpResponse<String> registered = post("/api/v1/auth/register",
        "{\"username\":\"Ada\",\"password\":\"" + PASSWORD + "\",\"displayName\":\"Ada Lovelace\"}");
    assertThat(registered.statusCode()).isEqualTo(201);
    JsonNode user = json(registered).get("user");
    assertThat(user.get("name").asText()).isEqualTo("Ada");
    assertThat(user.get("displayName").asText()).isEqualTo("Ada Lovelace");
    assertThat(user.get("id").isTextual()).isTrue();
    assertThat(user.get("role").asText()).isEqualTo("user");
    assertThat(registered.body()).doesNotContain(PASSWORD).doesNotContain("argon2");

    HttpResponse<String> signedIn = post("/api/v1/auth/signin", "{\"username\":\"ada\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(signedIn.statusCode()).isEqualTo(200);
    assertThat(json(signedIn).get("user").get("id")).isEqualTo(user.get("id"));
    String setCookie = signedIn.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie).matches("parley_session=[A-Za-z0-9_-]{43}; .*");
    assertThat(List.of(setCookie.split("; "))).contains("Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=2592000")
        .doesNotContain("Secure");
    assertThat(signedIn.body()).doesNotContain(cookieValue(setCookie));
    String cookie = cookieOf(signedIn);

    HttpResponse<String> me = get("/api/v1/auth/me", "Cookie", cookie);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(json(me).get("user").get("name").asText()).isEqualTo("Ada");
    assertThat(json(me).get("via").asText()).isEqualTo("session");
    assertThat(me.headers().firstValue("cache-control")).hasValue("no-store");

    HttpResponse<String> signedOut = post("/api/v1/auth/signout", "", "Cookie", cookie, "Origin", origin);
    assertThat(signedOut.statusCode()).isEqualTo(204);
    assertThat(signedOut.headers().firstValue("set-cookie").orElseThrow()).startsWith("parley_session=;")
        .contains("Max-Age=0");

    HttpResponse<String> after = get("/api/v1/auth/me", "Cookie", cookie);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(error(after)).isEqualTo("unauthorized");
    assertThat(after.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void aWrongPasswordAndAnUnknownNameGetTheSame401() throws Exception {
    String name = register();

    HttpResponse<String> wrong = post("/api/v1/auth/signin", "{\"username\":\"" + name + "\",\"password\":\"wrong password\"}");
    HttpResponse<String> unknown = post("/api/v1/auth/signin", "{\"username\":\"nobody-here\",\"password\":\"wrong password\"}");

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo(unknown.body()).contains("invalid_credentials").doesNotContain("wrong password");
    assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
  }

  @Test
  void aTakenNameIsAConflictWhoeverHoldsIt() throws Exception {
    String name = register();

    HttpResponse<String> again = post("/api/v1/auth/register",
        "{\"username\":\"" + name.toUpperCase(java.util.Locale.ROOT) + "\",\"password\":\"" + PASSWORD + "\"}");

    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(error(again)).isEqualTo("conflict");
  }

  @Test
  void changingThePasswordSignsOutEveryOtherSession() throws Exception {
    String name = register();
    String here = signIn(name);
    String there = signIn(name);

    HttpResponse<String> changed = post("/api/v1/auth/password",
        "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"another long password\"}", "Cookie", here,
        "Origin", origin);

    assertThat(changed.statusCode()).isEqualTo(204);
    assertThat(get("/api/v1/auth/me", "Cookie", here).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/auth/me", "Cookie", there).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = post("/api/v1/auth/password",
        "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"yet another password\"}", "Cookie", here,
        "Origin", origin);
    assertThat(wrong.statusCode()).isEqualTo(403);
  }

  // ---- tokens ----------------------------------------------------------------------------------

  @Test
  void aSessionBuysAccessTokensThatRefreshOnceEach() throws Exception {
    String cookie = signIn(register());

    HttpResponse<String> issued = post("/api/v1/auth/token", "", "Cookie", cookie, "Origin", origin);
    assertThat(issued.statusCode()).isEqualTo(200);
    JsonNode tokens = json(issued);
    assertThat(tokens.get("tokenType").asText()).isEqualTo("Bearer");
    assertThat(tokens.get("expiresIn").asLong()).isBetween(890L, 900L);
    String access = tokens.get("accessToken").asText();
    String refresh = tokens.get("refreshToken").asText();

    HttpResponse<String> me = get("/api/v1/auth/me", "Authorization", "Bearer " + access);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(json(me).get("via").asText()).isEqualTo("access_token");

    HttpResponse<String> refreshed = post("/api/v1/auth/token/refresh", "{\"refreshToken\":\"" + refresh + "\"}");
    assertThat(refreshed.statusCode()).isEqualTo(200);
    String nextAccess = json(refreshed).get("accessToken").asText();
    assertThat(get("/api/v1/auth/me", "Authorization", "Bearer " + nextAccess).statusCode()).isEqualTo(200);

    HttpResponse<String> replayed = post("/api/v1/auth/token", "{\"refreshToken\":\"" + refresh + "\"}");
    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/auth/me", "Authorization", "Bearer " + nextAccess).statusCode())
        .as("a replayed refresh token ends the whole sign-in").isEqualTo(401);
    assertThat(get("/api/v1/auth/me", "Cookie", cookie).statusCode()).isEqualTo(401);

    assertThat(post("/api/v1/auth/token", "", "Authorization", "Bearer " + access).statusCode())
        .as("only a session buys tokens").isIn(401, 403);
    assertThat(get("/api/v1/auth/me", "Authorization", "Basic YWRhOnB3").statusCode()).isEqualTo(401);
  }

  @Test
  void personalAccessTokensAreMadeListedUsedAndRevoked() throws Exception {
    String cookie = signIn(register());

    HttpResponse<String> made = post("/api/v1/auth/tokens", "{\"name\":\"deploy bot\",\"expiresInDays\":30}",
        "Cookie", cookie, "Origin", origin);
    assertThat(made.statusCode()).isEqualTo(201);
    String secret = json(made).get("secret").asText();
    String id = json(made).get("token").get("id").asText();
    assertThat(secret).startsWith("parley_pat_");

    HttpResponse<String> list = get("/api/v1/auth/tokens", "Authorization", "Bearer " + secret);
    assertThat(list.statusCode()).isEqualTo(200);
    JsonNode listed = json(list).get("tokens");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("name").asText()).isEqualTo("deploy bot");
    assertThat(secret).startsWith(listed.get(0).get("prefix").asText());
    assertThat(list.body()).doesNotContain(secret);
    assertThat(json(get("/api/v1/auth/me", "Authorization", "Bearer " + secret)).get("via").asText())
        .isEqualTo("personal_token");
    assertThat(post("/api/v1/auth/tokens", "{\"name\":\"another\"}", "Authorization", "Bearer " + secret).statusCode())
        .as("a token makes no tokens").isEqualTo(403);

    assertThat(delete("/api/v1/auth/tokens/" + id, "Cookie", cookie, "Origin", origin).statusCode()).isEqualTo(204);
    assertThat(get("/api/v1/auth/me", "Authorization", "Bearer " + secret).statusCode()).isEqualTo(401);
    assertThat(delete("/api/v1/auth/tokens/" + id, "Cookie", cookie, "Origin", origin).statusCode()).isEqualTo(404);
    assertThat(delete("/api/v1/auth/tokens/not-a-number", "Cookie", cookie, "Origin", origin).statusCode())
        .as("an id is digits").isEqualTo(400);
    assertThat(delete("/api/v1/auth/tokens/99999999999999999999", "Cookie", cookie, "Origin", origin).statusCode())
        .as("an id fits in 64 bits").isEqualTo(400);
  }

  // ---- cross-site requests ---------------------------------------------------------------------

  @Test
  void aCookieSignedRequestFromAnotherSiteOrWithoutOriginIsRefused() throws Exception {
    String cookie = signIn(register());

    for (String path : List.of("/api/v1/auth/signout", "/api/v1/auth/token", "/api/v1/auth/tokens")) {
      HttpResponse<String> foreign = post(path, "{\"name\":\"x\"}", "Cookie", cookie, "Origin", FOREIGN);
      assertThat(foreign.statusCode()).as(path).isEqualTo(403);
      assertThat(error(foreign)).isEqualTo("forbidden");
      assertThat(post(path, "{\"name\":\"x\"}", "Cookie", cookie).statusCode()).as(path + " without Origin").isEqualTo(403);
      assertThat(post(path, "{\"name\":\"x\"}", "Cookie", cookie, "Origin", "null").statusCode()).isEqualTo(403);
      assertThat(post(path, "{\"name\":\"x\"}", "Cookie", cookie, "Origin", "http://127.0.0.1:1").statusCode())
          .as("another port is another origin").isEqualTo(403);
    }
    assertThat(delete("/api/v1/auth/tokens/1", "Cookie", cookie, "Origin", FOREIGN).statusCode()).isEqualTo(403);
    assertThat(post("/api/v1/auth/password", "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"hijacked!!\"}",
        "Cookie", cookie).statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/auth/me", "Cookie", cookie).statusCode()).as("still signed in").isEqualTo(200);
    assertThat(post("/api/v1/auth/signin", "{\"username\":\"x\",\"password\":\"" + PASSWORD + "\"}", "Origin", FOREIGN)
        .statusCode()).as("no sign-in from another site either").isEqualTo(403);
  }

  @Test
  void formBodiesAreRefused() throws Exception {
    String name = register();
    String form = "username=" + name + "&password=" + PASSWORD.replace(' ', '+');
    for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain")) {
      HttpResponse<String> r = send("POST", "/api/v1/auth/signin", form, "Content-Type", type, "Origin", origin);
      assertThat(r.statusCode()).as(type).isEqualTo(415);
      assertThat(error(r)).isEqualTo("unsupported_media_type");
    }
    HttpResponse<String> jsonAsText = send("POST", "/api/v1/auth/signin",
        "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", "Content-Type", "text/plain");
    assertThat(jsonAsText.statusCode()).isEqualTo(415);
  }

  // ---- bad input -------------------------------------------------------------------------------

  @Test
  void bodiesOver16KiBAreRefusedWith413() throws Exception {
    String padding = "x".repeat(17 * 1024);
    HttpResponse<String> big = post("/api/v1/auth/register", "{\"username\":\"big\",\"password\":\"" + padding + "\"}");
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(error(big)).isEqualTo("too_large");

    HttpResponse<String> huge = post("/api/v1/auth/register", "{\"pad\":\"" + "y".repeat(200 * 1024) + "\"}");
    assertThat(huge.statusCode()).isEqualTo(413);

    assertThat(post("/api/v1/auth/register", "{\"username\":\"small-" + names.incrementAndGet() + "\",\"password\":\""
        + PASSWORD + "\"}").statusCode()).as("the server carries on").isEqualTo(201);
  }

  @Test
  void fieldsOfTheWrongTypeAndBadJsonAre400() throws Exception {
    List<String> bodies = List.of(
        "{\"username\":42,\"password\":\"" + PASSWORD + "\"}",
        "{\"username\":{\"$gt\":\"\"},\"password\":\"" + PASSWORD + "\"}",
        "{\"username\":[\"ada\"],\"password\":\"" + PASSWORD + "\"}",
        "{\"username\":true,\"password\":\"" + PASSWORD + "\"}",
        "{\"username\":null,\"password\":\"" + PASSWORD + "\"}",
        "{\"username\":\"ada\",\"password\":12345678}",
        "{\"username\":\"ada\",\"username\":\"bob\",\"password\":\"" + PASSWORD + "\"}",
        "{\"username\":\"ada\"",
        "[]",
        "\"ada\"",
        "{} {}",
        "not json");
    for (String body : bodies) {
      HttpResponse<String> r = post("/api/v1/auth/signin", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(error(r)).as(body).isEqualTo("invalid_argument");
    }
    assertThat(post("/api/v1/auth/tokens", "{\"name\":\"x\",\"expiresInDays\":\"30\"}", "Cookie",
        signIn(register()), "Origin", origin).statusCode()).isEqualTo(400);
  }

  @Test
  void unknownRoutesMethodsAndPathTricksNeverReachAProtectedRoute() throws Exception {
    HttpResponse<String> wrongMethod = get("/api/v1/auth/signin");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
    assertThat(send("PUT", "/api/v1/auth/me", "").statusCode()).isEqualTo(405);
    assertThat(error(get("/api/v1/nothing"))).isEqualTo("not_found");
    for (String path : List.of("/api/v1/auth/%6De", "/api/v1/auth/me", "/api/v1/auth/tokens")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(401);
    }
    for (String path : List.of("/api/v1/auth/me/", "/api/v1/auth/me;x=1", "/api/v1/auth/..%2fauth%2fme",
        "/api/v1/auth/%2e%2e/auth/me", "/api/v1/auth/%u006de", "/api/v1/auth//me", "/api/v1/auth/me%00",
        "/api/v1/auth/me%", "/api/v1/auth/./me", "/api/v1/auth/ME")) {
      assertThat(rawGetStatus(path)).as(path).isIn(400, 404);
    }
    assertThat(get("/healthz").statusCode()).as("the other routes are untouched").isEqualTo(200);
    assertThat(send("POST", "/healthz", "").statusCode()).isEqualTo(405);
  }

  @Test
  void theCookieIsSecureWhenTheServerSaysSo() throws Exception {
    try (Parley secure = ParleyHarness.start(dir.resolve("secure"), "--secure-cookies", "true")) {
      String base = "http://127.0.0.1:" + secure.port();
      sendTo(base, "POST", "/api/v1/auth/register", "{\"username\":\"ada\",\"password\":\"" + PASSWORD + "\"}",
          "Content-Type", "application/json");
      HttpResponse<String> signedIn = sendTo(base, "POST", "/api/v1/auth/signin",
          "{\"username\":\"ada\",\"password\":\"" + PASSWORD + "\"}", "Content-Type", "application/json");

      assertThat(signedIn.statusCode()).isEqualTo(200);
      assertThat(List.of(signedIn.headers().firstValue("set-cookie").orElseThrow().split("; "))).contains("Secure",
          "HttpOnly", "SameSite=Lax");
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Registers a new account; returns its name. */
  private String register() throws Exception {
    String name = "user-" + names.incrementAndGet();
    HttpResponse<String> r = post("/api/v1/auth/register", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return name;
  }

  /** Signs in; returns the Cookie header to send. */
  private String signIn(String name) throws Exception {
    HttpResponse<String> r = post("/api/v1/auth/signin", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return cookieOf(r);
  }

  private static String cookieOf(HttpResponse<String> response) {
    return response.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
  }

  private static String cookieValue(String setCookie) {
    return setCookie.split(";", 2)[0].substring("parley_session=".length());
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = "application/json";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return send("POST", path, body, body.isEmpty() ? headers : all);
  }

  private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    return send("GET", path, null, headers);
  }

  private HttpResponse<String> delete(String path, String... headers) throws IOException, InterruptedException {
    return send("DELETE", path, null, headers);
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    return sendTo(origin, method, path, body, headers);
  }

  private HttpResponse<String> sendTo(String base, String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The status of a GET sent as written, for paths that java.net.URI would refuse or change; 0
   * when the server closes the connection without an answer.
   */
  private int rawGetStatus(String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", parley.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + parley.port()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      if (status == null) {
        return 0;
      }
      assertThat(status).as(path).startsWith("HTTP/1.1 ");
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static String error(HttpResponse<String> response) throws IOException {
    return json(response).get("error").get("code").asText();
  }
}
