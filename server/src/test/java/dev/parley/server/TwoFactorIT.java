package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.auth.TestClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-factor sign-in on a real node through real HTTP requests. The node's clock is the test's, and
 * the test makes the authenticator's codes itself (RFC 6238, as an app would), moving time on by
 * whole 30-second steps instead of waiting for them.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoFactorIT {
  static final String PASSWORD = "correct horse battery staple";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  final TestClock clock = new TestClock(Instant.now());
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final AtomicInteger names = new AtomicInteger();
  Parley parley;
  String origin;

  @BeforeAll
  void start() {
    parley = start(dir.resolve("data"));
    origin = "http://127.0.0.1:" + parley.port();
  }

  Parley start(Path data, String... extra) {
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir", data.toString(),
        "--rate-sign-ins", "1000", "--rate-auth", "1000"));
    args.addAll(List.of(extra));
    return Parley.start(Config.parse(args.toArray(String[]::new), Map.of()), clock);
  }

  @AfterAll
  void stop() {
    if (parley != null) {
      parley.close();
    }
  }

  @Test
  void enrolEnableAndThenThePasswordAloneSignsNoOneIn() throws Exception {
    String name = register();
    String cookie = signIn(name);
    assertThat(json(get("/api/v1/auth/totp", cookie)).get("enabled").asBoolean()).isFalse();

    JsonNode setup = json(post("/api/v1/auth/totp/setup", "", cookie));
    String secret = setup.get("secret").asText();
    assertThat(secret).matches("[A-Z2-7]{32}");
    assertThat(setup.get("uri").asText()).isEqualTo("otpauth://totp/Parley:" + name + "?secret=" + secret
        + "&issuer=Parley&algorithm=SHA1&digits=6&period=30");

    HttpResponse<String> wrong = post("/api/v1/auth/totp/enable", "{\"code\":\"" + otherThan(code(secret)) + "\"}", cookie);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(error(wrong)).isEqualTo("invalid_credentials");
    HttpResponse<String> enabled = post("/api/v1/auth/totp/enable", "{\"code\":\"" + code(secret) + "\"}", cookie);
    assertThat(enabled.statusCode()).isEqualTo(200);
    List<String> recovery = new ArrayList<>();
    json(enabled).get("recoveryCodes").forEach(c -> recovery.add(c.asText()));
    assertThat(recovery).hasSize(10).allMatch(c -> c.matches("[a-z2-9]{5}-[a-z2-9]{5}"));
    assertThat(new HashSet<>(recovery)).hasSize(10);

    JsonNode status = json(get("/api/v1/auth/totp", cookie));
    assertThat(status.get("enabled").asBoolean()).isTrue();
    assertThat(status.get("recoveryCodesLeft").asInt()).isEqualTo(10);
    assertThat(status.toString()).doesNotContain(secret);
    assertThat(post("/api/v1/auth/totp/setup", "", cookie).statusCode()).as("on already").isEqualTo(409);

    HttpResponse<String> password = signInRaw(name);
    assertThat(password.statusCode()).isEqualTo(200);
    assertThat(password.headers().firstValue("set-cookie")).as("no session before the code").isEmpty();
    JsonNode challenge = json(password);
    assertThat(challenge.get("totpRequired").asBoolean()).isTrue();
    assertThat(challenge.has("user")).isFalse();
    assertThat(challenge.get("expiresAt").asLong()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)).toEpochMilli());
  }

  @Test
  void theCodeCompletesTheSignInOnceAndNeverAgain() throws Exception {
    String name = register();
    String secret = enable(signIn(name)).secret();
    String usedToEnable = code(secret);

    String challenge = challenge(name);
    HttpResponse<String> replay = verify(challenge, usedToEnable);
    assertThat(replay.statusCode()).as("the code that turned it on").isEqualTo(401);
    assertThat(error(replay)).isEqualTo("invalid_credentials");

    clock.advance(Duration.ofSeconds(30));
    String code = code(secret);
    HttpResponse<String> done = verify(challenge, code);
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(json(done).get("user").get("name").asText()).isEqualTo(name);
    String cookie = cookieOf(done);
    assertThat(json(get("/api/v1/auth/me", cookie)).get("user").get("name").asText()).isEqualTo(name);
    HttpResponse<String> tokens = post("/api/v1/auth/token", "", cookie);
    assertThat(tokens.statusCode()).as("the session buys tokens as any other").isEqualTo(200);

    assertThat(verify(challenge, code).statusCode()).as("a challenge completes once").isEqualTo(401);
    assertThat(error(verify(challenge, code))).isEqualTo("unauthorized");
    HttpResponse<String> again = verify(challenge(name), code);
    assertThat(again.statusCode()).as("the same code on a new challenge").isEqualTo(401);
    assertThat(error(again)).isEqualTo("invalid_credentials");
  }

  @Test
  void aClockOneStepAheadOrBehindIsAcceptedTwoStepsIsNot() throws Exception {
    String name = register();
    String secret = enable(signIn(name)).secret();
    clock.advance(Duration.ofMinutes(5));

    String challenge = challenge(name);
    assertThat(verify(challenge, codeAt(secret, clock.instant().plusSeconds(60))).statusCode()).isEqualTo(401);
    assertThat(verify(challenge, codeAt(secret, clock.instant().minusSeconds(60))).statusCode()).isEqualTo(401);
    assertThat(verify(challenge, codeAt(secret, clock.instant().minusSeconds(30))).statusCode()).isEqualTo(200);
    assertThat(verify(challenge(name), codeAt(secret, clock.instant().plusSeconds(30))).statusCode()).isEqualTo(200);
  }

  @Test
  void aRecoveryCodeSignsInOnce() throws Exception {
    String name = register();
    Enabled on = enable(signIn(name));
    String recovery = on.recoveryCodes().get(3);

    HttpResponse<String> used = verify(challenge(name), recovery.toUpperCase(java.util.Locale.ROOT).replace("-", " "));
    assertThat(used.statusCode()).as("in any case, with a space for the dash").isEqualTo(200);
    String cookie = cookieOf(used);
    assertThat(json(get("/api/v1/auth/totp", cookie)).get("recoveryCodesLeft").asInt()).isEqualTo(9);

    HttpResponse<String> again = verify(challenge(name), recovery);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(error(again)).isEqualTo("invalid_credentials");
    assertThat(verify(challenge(name), on.recoveryCodes().get(4)).statusCode()).isEqualTo(200);
  }

  @Test
  void fiveWrongCodesEndTheChallenge() throws Exception {
    String name = register();
    String secret = enable(signIn(name)).secret();
    clock.advance(Duration.ofSeconds(30));
    String challenge = challenge(name);

    for (int i = 0; i < 5; i++) {
      assertThat(verify(challenge, otherThan(code(secret))).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> right = verify(challenge, code(secret));
    assertThat(right.statusCode()).isEqualTo(401);
    assertThat(error(right)).isEqualTo("unauthorized");
  }

  @Test
  void wrongCodesCountAgainstTheAccountsSignInAttempts(@TempDir Path other) throws Exception {
    try (Parley limited = start(other, "--rate-sign-ins", "3")) {
      String here = "http://127.0.0.1:" + limited.port();
      String name = "limited";
      assertThat(sendTo(here, "POST", "/api/v1/auth/register", "{\"username\":\"" + name + "\",\"password\":\""
          + PASSWORD + "\"}").statusCode()).isEqualTo(201);
      String cookie = cookieOf(sendTo(here, "POST", "/api/v1/auth/signin", credentials(name)));
      JsonNode setup = json(sendTo(here, "POST", "/api/v1/auth/totp/setup", "", "Cookie", cookie, "Origin", here));
      String secret = setup.get("secret").asText();
      assertThat(sendTo(here, "POST", "/api/v1/auth/totp/enable", "{\"code\":\"" + code(secret) + "\"}",
          "Cookie", cookie, "Origin", here).statusCode()).isEqualTo(200);

      // Three attempts per account: the first sign-in, the password step of this one, one wrong code.
      String challenge = json(sendTo(here, "POST", "/api/v1/auth/signin", credentials(name))).get("challenge").asText();
      String body = "{\"challenge\":\"" + challenge + "\",\"code\":\"" + otherThan(code(secret)) + "\"}";
      assertThat(sendTo(here, "POST", "/api/v1/auth/totp/verify", body).statusCode()).isEqualTo(401);
      HttpResponse<String> limitedOut = sendTo(here, "POST", "/api/v1/auth/totp/verify", body);
      assertThat(limitedOut.statusCode()).isEqualTo(429);
      assertThat(limitedOut.headers().firstValue("retry-after")).isPresent();
      assertThat(sendTo(here, "POST", "/api/v1/auth/signin", credentials(name)).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void turningItOffTakesThePasswordAndACode() throws Exception {
    String name = register();
    String cookie = signIn(name);
    String secret = enable(cookie).secret();
    clock.advance(Duration.ofSeconds(30));

    HttpResponse<String> wrongPassword = post("/api/v1/auth/totp/disable",
        "{\"password\":\"not the password\",\"code\":\"" + code(secret) + "\"}", cookie);
    assertThat(wrongPassword.statusCode()).isEqualTo(403);
    HttpResponse<String> wrongCode = post("/api/v1/auth/totp/disable",
        "{\"password\":\"" + PASSWORD + "\",\"code\":\"" + otherThan(code(secret)) + "\"}", cookie);
    assertThat(wrongCode.statusCode()).isEqualTo(401);
    assertThat(post("/api/v1/auth/totp/disable", "{\"password\":\"" + PASSWORD + "\"}", cookie).statusCode())
        .isEqualTo(400);
    assertThat(post("/api/v1/auth/totp/disable", "{\"password\":\"" + PASSWORD + "\",\"code\":\"" + code(secret)
        + "\"}", cookie).statusCode()).isEqualTo(204);

    assertThat(json(get("/api/v1/auth/totp", cookie)).get("enabled").asBoolean()).isFalse();
    HttpResponse<String> plain = signInRaw(name);
    assertThat(plain.headers().firstValue("set-cookie")).as("the password alone signs in again").isPresent();
    assertThat(json(plain).has("totpRequired")).isFalse();
  }

  @Test
  void badInputGetsClearErrors() throws Exception {
    String cookie = signIn(register());
    assertThat(post("/api/v1/auth/totp/enable", "{\"code\":\"123456\"}", cookie).statusCode())
        .as("nothing set up").isEqualTo(409);
    post("/api/v1/auth/totp/setup", "", cookie);
    for (String body : List.of("{}", "{\"code\":123456}", "{\"code\":\"12345\"}", "{\"code\":\"abcdef\"}", "[]")) {
      HttpResponse<String> r = post("/api/v1/auth/totp/enable", body, cookie);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(error(r)).isEqualTo("invalid_argument");
    }
    assertThat(sendTo(origin, "POST", "/api/v1/auth/totp/setup", "").statusCode()).as("signed out").isEqualTo(401);
    HttpResponse<String> unknown = verify("A".repeat(43), "123456");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(error(unknown)).isEqualTo("unauthorized");
    assertThat(verify("short", "123456").statusCode()).isEqualTo(401);
    assertThat(sendTo(origin, "POST", "/api/v1/auth/totp/verify", "{\"challenge\":\"x\"}").statusCode())
        .isEqualTo(400);
    assertThat(get("/api/v1/auth/totp/setup", cookie).statusCode()).isEqualTo(405);

    String pat = json(post("/api/v1/auth/tokens", "{\"name\":\"bot\"}", cookie)).get("secret").asText();
    HttpResponse<String> byBot = sendTo(origin, "POST", "/api/v1/auth/totp/setup", "", "Authorization", "Bearer " + pat);
    assertThat(byBot.statusCode()).isEqualTo(403);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  record Enabled(String secret, List<String> recoveryCodes) {}

  /** Sets up and turns on two-factor sign-in for the signed-in account. */
  Enabled enable(String cookie) throws Exception {
    String secret = json(post("/api/v1/auth/totp/setup", "", cookie)).get("secret").asText();
    HttpResponse<String> on = post("/api/v1/auth/totp/enable", "{\"code\":\"" + code(secret) + "\"}", cookie);
    assertThat(on.statusCode()).isEqualTo(200);
    List<String> codes = new ArrayList<>();
    json(on).get("recoveryCodes").forEach(c -> codes.add(c.asText()));
    return new Enabled(secret, codes);
  }

  String code(String secret) throws Exception {
    return codeAt(secret, clock.instant());
  }

  /** What an authenticator app shows at {@code at}. */
  static String codeAt(String secret, Instant at) throws Exception {
    TimeBasedOneTimePasswordGenerator app = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6);
    return app.generateOneTimePasswordString(new SecretKeySpec(new Base32().decode(secret), "HmacSHA1"), at);
  }

  /** A six-digit code that is not {@code code}. */
  static String otherThan(String code) {
    return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
  }

  String challenge(String name) throws Exception {
    JsonNode answer = json(signInRaw(name));
    assertThat(answer.get("totpRequired").asBoolean()).isTrue();
    return answer.get("challenge").asText();
  }

  HttpResponse<String> verify(String challenge, String code) throws Exception {
    return sendTo(origin, "POST", "/api/v1/auth/totp/verify",
        "{\"challenge\":\"" + challenge + "\",\"code\":\"" + code + "\"}");
  }

  String register() throws Exception {
    String name = "tf" + names.incrementAndGet();
    assertThat(sendTo(origin, "POST", "/api/v1/auth/register", credentials(name)).statusCode()).isEqualTo(201);
    return name;
  }

  static String credentials(String name) {
    return "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}";
  }

  HttpResponse<String> signInRaw(String name) throws Exception {
    return sendTo(origin, "POST", "/api/v1/auth/signin", credentials(name));
  }

  String signIn(String name) throws Exception {
    return cookieOf(signInRaw(name));
  }

  HttpResponse<String> post(String path, String body, String cookie) throws Exception {
    return sendTo(origin, "POST", path, body, "Cookie", cookie, "Origin", origin);
  }

  HttpResponse<String> get(String path, String cookie) throws Exception {
    return sendTo(origin, "GET", path, null, "Cookie", cookie);
  }

  HttpResponse<String> sendTo(String base, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && !body.isEmpty()) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String cookieOf(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  static String error(HttpResponse<String> response) throws Exception {
    return json(response).get("error").get("code").asText();
  }
}
