package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in through OpenID Connect on a real node, against a real provider in this JVM
 * (mock-oauth2-server on a free port), with a real HTTP client that keeps cookies and follows
 * redirects like a browser. Who signs in at the provider is chosen per test with the provider's
 * token callback.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcSignInIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CLIENT_ID = "parley-test-client";

  @TempDir
  static Path dir;
  MockOAuth2Server provider;
  Parley parley;
  String origin;
  String issuer;

  @BeforeAll
  void start() throws Exception {
    provider = new MockOAuth2Server();
    provider.start();
    issuer = provider.issuerUrl("mock").toString();
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    parley = ParleyHarness.start(dir.resolve("data"),
        "--oidc.mock.issuer", issuer, "--oidc.mock.client-id", CLIENT_ID, "--oidc.mock.client-secret", "s3cret",
        "--oidc.mock.name", "Mock ID",
        "--oidc.down.issuer", "http://127.0.0.1:" + closed + "/nobody", "--oidc.down.client-id", "x");
    origin = "http://127.0.0.1:" + parley.port();
  }

  @AfterAll
  void stop() {
    if (parley != null) {
      parley.close();
    }
    if (provider != null) {
      provider.shutdown();
    }
  }

  @Test
  void theProvidersAreListedForTheButtons() throws Exception {
    HttpResponse<String> r = new Browser().get(origin + "/api/v1/auth/oidc/providers");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"providers\":["
        + "{\"id\":\"down\",\"name\":\"down\",\"startUrl\":\"/api/v1/auth/oidc/down/start\"},"
        + "{\"id\":\"mock\",\"name\":\"Mock ID\",\"startUrl\":\"/api/v1/auth/oidc/mock/start\"}]}"));
  }

  @Test
  void theStartSendsTheBrowserToTheProviderWithPkceStateAndNonce() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> start = browser.get(origin + "/api/v1/auth/oidc/mock/start");

    assertThat(start.statusCode()).isEqualTo(302);
    URI to = URI.create(start.headers().firstValue("location").orElseThrow());
    assertThat(to.toString()).startsWith(issuer + "/authorize?");
    Map<String, String> q = query(to);
    assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("redirect_uri", origin + "/api/v1/auth/oidc/mock/callback");
    assertThat(q.get("scope").split(" ")).contains("openid", "profile", "email");
    assertThat(q.get("state")).hasSizeGreaterThanOrEqualTo(32);
    assertThat(q.get("nonce")).hasSizeGreaterThanOrEqualTo(32);
    assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    String flowCookie = start.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("parley_oidc="))
        .findFirst().orElseThrow();
    assertThat(List.of(flowCookie.split("; "))).contains("HttpOnly", "SameSite=Lax",
        "Path=/api/v1/auth/oidc/mock/", "Max-Age=600");
    assertThat(flowCookie).doesNotContain(q.get("code_challenge"));
    assertThat(browser.get(origin + "/api/v1/auth/oidc/mock/start").headers().firstValue("location").orElseThrow())
        .as("each start has its own state").isNotEqualTo(to.toString());
  }

  @Test
  void theFirstSignInMakesAnAccountAndTheNextFindsIt() throws Exception {
    person("subject-ada", Map.of("preferred_username", "ada.l", "email", "ada@example.org", "email_verified", true,
        "name", "Ada Lovelace"));
    Browser first = new Browser();
    HttpResponse<String> done = first.signIn("mock");
    assertThat(done.uri().toString()).isEqualTo(origin + "/");
    JsonNode me = first.me();
    assertThat(me.at("/user/name").asText()).isEqualTo("ada.l");
    assertThat(me.at("/user/displayName").asText()).isEqualTo("Ada Lovelace");
    assertThat(me.at("/user/email").asText()).isEqualTo("ada@example.org");
    assertThat(me.at("/via").asText()).isEqualTo("session");
    assertThat(first.cookie("parley_oidc")).as("the flow cookie is cleared").isEmpty();

    person("subject-ada", Map.of("preferred_username", "renamed-at-the-provider"));
    Browser second = new Browser();
    second.signIn("mock");
    assertThat(second.me().at("/user/id")).as("the same account").isEqualTo(me.at("/user/id"));
    assertThat(second.me().at("/user/name").asText()).isEqualTo("ada.l");
    assertThat(first.me().at("/user/id")).as("the first browser is still signed in").isEqualTo(me.at("/user/id"));
  }

  @Test
  void aNewAccountNeverTakesAnExistingName() throws Exception {
    Browser password = new Browser();
    assertThat(password.post(origin + "/api/v1/auth/register",
        "{\"username\":\"Grace\",\"password\":\"correct horse battery\"}").statusCode()).isEqualTo(201);
    person("subject-grace", Map.of("preferred_username", "grace", "email", "grace@example.org",
        "email_verified", false));

    Browser browser = new Browser();
    browser.signIn("mock");
    JsonNode me = browser.me();
    assertThat(me.at("/user/name").asText()).isEqualTo("grace-2");
    assertThat(me.at("/user/email").isMissingNode()).as("an unverified address is not taken").isTrue();
    HttpResponse<String> signIn = password.post(origin + "/api/v1/auth/signin",
        "{\"username\":\"grace\",\"password\":\"correct horse battery\"}");
    assertThat(JSON.readTree(signIn.body()).at("/user/id")).as("the password account is another")
        .isNotEqualTo(me.at("/user/id"));
  }

  @Test
  void theSessionWorksForTheApiAndForChat() throws Exception {
    person("subject-linus", Map.of("preferred_username", "linus"));
    Browser browser = new Browser();
    browser.signIn("mock");

    String cookie = "parley_session=" + browser.cookie("parley_session").orElseThrow();
    HttpResponse<String> tokens = browser.post(origin + "/api/v1/auth/token", "");
    assertThat(tokens.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(tokens.body()).get("accessToken").asText()).contains(".");
    try (ChatClient chat = ChatClient.signedIn(parley.port(), Map.of(), cookie)) {
      JSONObject session = chat.session();
      assertThat(session.getJSONObject("user").getString("name")).isEqualTo("linus");
    }
    HttpResponse<String> password = browser.post(origin + "/api/v1/auth/password",
        "{\"currentPassword\":\"anything at all\",\"newPassword\":\"a brand new password\"}");
    assertThat(password.statusCode()).as("an account made by a provider has no password to change").isEqualTo(403);
    assertThat(password.body()).contains("no password");
    assertThat(browser.post(origin + "/api/v1/auth/totp/setup", "").statusCode()).isEqualTo(403);
  }

  @Test
  void aTamperedStateIsRefused() throws Exception {
    Browser browser = new Browser();
    URI callback = browser.providerAnswer("mock", Map.of());
    URI tampered = withParam(callback, "state", "x" + query(callback).get("state"));

    assertThat(browser.errorOf(browser.get(tampered.toString()))).contains("invalid_state");
    assertThat(browser.cookie("parley_session")).isEmpty();
  }

  @Test
  void anAnswerInAnotherBrowserIsRefused() throws Exception {
    URI callback = new Browser().providerAnswer("mock", Map.of());

    Browser other = new Browser();
    assertThat(other.errorOf(other.get(callback.toString()))).contains("expired");
    assertThat(other.cookie("parley_session")).isEmpty();
  }

  @Test
  void anIdTokenWithAnotherNonceIsRefused() throws Exception {
    person("subject-nonce", Map.of());
    Browser browser = new Browser();
    URI callback = browser.providerAnswer("mock", Map.of("nonce", "not-the-nonce-parley-made"));

    assertThat(browser.errorOf(browser.get(callback.toString()))).contains("invalid_token");
    assertThat(browser.cookie("parley_session")).isEmpty();
  }

  @Test
  void anIdTokenForAnotherAudienceIsRefused() throws Exception {
    // The provider makes the ID token's audience the client that asks; a claim puts another in its place.
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("mock", "subject-aud", "JWT", List.of("another-client"),
        Map.of("aud", "another-client"), 3600));
    Browser browser = new Browser();

    assertThat(browser.errorOf(browser.follow(origin + "/api/v1/auth/oidc/mock/start"))).contains("invalid_token");
    assertThat(browser.cookie("parley_session")).isEmpty();
  }

  @Test
  void anIdTokenFromAnotherIssuerIsRefused() throws Exception {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("mock", "subject-iss", "JWT", List.of(CLIENT_ID),
        Map.of("iss", provider.issuerUrl("elsewhere").toString()), 3600));
    Browser browser = new Browser();

    assertThat(browser.errorOf(browser.follow(origin + "/api/v1/auth/oidc/mock/start"))).contains("invalid_token");
    assertThat(browser.cookie("parley_session")).isEmpty();
  }

  @Test
  void aDeclinedConsentComesBackAsAClearError() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> start = browser.get(origin + "/api/v1/auth/oidc/mock/start");
    String state = query(URI.create(start.headers().firstValue("location").orElseThrow())).get("state");

    HttpResponse<String> back = browser.get(origin + "/api/v1/auth/oidc/mock/callback?error=access_denied&state="
        + URLEncoder.encode(state, StandardCharsets.UTF_8));
    assertThat(browser.errorOf(back)).contains("access_denied");
  }

  @Test
  void anUnreachableOrUnknownProviderIsAClearError() throws Exception {
    Browser browser = new Browser();
    assertThat(browser.errorOf(browser.get(origin + "/api/v1/auth/oidc/down/start"))).contains("provider_unavailable");
    assertThat(browser.errorOf(browser.get(origin + "/api/v1/auth/oidc/nope/start"))).contains("unknown_provider");
    HttpResponse<String> malformed = browser.get(origin + "/api/v1/auth/oidc/nope%3B%20Domain%3Devil/callback?code=x");
    assertThat(malformed.statusCode()).as("an id that cannot be one is a bad request").isEqualTo(400);
    assertThat(malformed.headers().allValues("set-cookie")).as("nothing of it goes into a header").isEmpty();
    assertThat(malformed.body()).doesNotContain("evil");
    assertThat(browser.errorOf(browser.get(origin + "/api/v1/auth/oidc/mock/callback?code=abc&state=def")))
        .as("no flow cookie").contains("expired");
    assertThat(browser.post(origin + "/api/v1/auth/oidc/mock/start", "").statusCode()).isEqualTo(405);
    assertThat(browser.get(origin + "/api/v1/auth/oidc/mock/elsewhere").statusCode()).isEqualTo(404);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Who the provider signs in next, with these claims in the ID token. */
  void person(String subject, Map<String, Object> claims) {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("mock", subject, "JWT", List.of(CLIENT_ID), claims, 3600));
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : Optional.ofNullable(uri.getRawQuery()).orElse("").split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  static URI withParam(URI uri, String name, String value) {
    Map<String, String> q = query(uri);
    q.put(name, value);
    StringBuilder raw = new StringBuilder();
    q.forEach((k, v) -> raw.append(raw.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    String base = uri.toString().split("\\?", 2)[0];
    return URI.create(base + "?" + raw);
  }

  /** One browser: its own cookies, redirects followed only when asked. */
  final class Browser {
    final CookieManager cookies = new CookieManager();
    final HttpClient manual = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    final HttpClient following = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL).build();

    HttpResponse<String> get(String url) throws Exception {
      return manual.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** A navigation, following every redirect as a browser does. */
    HttpResponse<String> follow(String url) throws Exception {
      return following.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String body) throws Exception {
      return manual.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
          .header("Content-Type", "application/json").header("Origin", origin)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Clicks "Sign in with …" and follows through the provider back to the app. */
    HttpResponse<String> signIn(String providerId) throws Exception {
      HttpResponse<String> done = follow(origin + "/api/v1/auth/oidc/" + providerId + "/start");
      assertThat(done.uri().toString()).as("no error").isEqualTo(origin + "/");
      assertThat(done.statusCode()).isEqualTo(200);
      return done;
    }

    /** Starts a sign-in and lets the provider answer, with {@code change} made to its request; the callback URL. */
    URI providerAnswer(String providerId, Map<String, String> change) throws Exception {
      HttpResponse<String> start = get(origin + "/api/v1/auth/oidc/" + providerId + "/start");
      URI authorize = URI.create(start.headers().firstValue("location").orElseThrow());
      for (Map.Entry<String, String> e : change.entrySet()) {
        authorize = withParam(authorize, e.getKey(), e.getValue());
      }
      HttpResponse<String> answer = get(authorize.toString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
      URI callback = URI.create(answer.headers().firstValue("location").orElseThrow());
      assertThat(callback.toString()).startsWith(origin + "/api/v1/auth/oidc/" + providerId + "/callback?");
      return callback;
    }

    /** The error a redirect home carries, if it is one. */
    Optional<String> errorOf(HttpResponse<String> response) {
      URI at = response.statusCode() == 302
          ? response.uri().resolve(response.headers().firstValue("location").orElseThrow()) : response.uri();
      assertThat(at.getPath()).as("back home").isEqualTo("/");
      return Optional.ofNullable(query(at).get("signin_error"));
    }

    JsonNode me() throws Exception {
      HttpResponse<String> r = get(origin + "/api/v1/auth/me");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return JSON.readTree(r.body());
    }

    Optional<String> cookie(String name) {
      return cookies.getCookieStore().get(URI.create(origin)).stream().filter(c -> c.getName().equals(name))
          .map(HttpCookie::getValue).filter(v -> !v.isEmpty()).findFirst();
    }
  }
}
