package dev.parley.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.Account;
import dev.parley.server.auth.AccountService;
import dev.parley.server.limits.RateLimiter;
import dev.parley.server.auth.AuthException;
import dev.parley.server.auth.PersonalToken;
import dev.parley.server.auth.Principal;
import dev.parley.server.auth.SecondFactorRequired;
import dev.parley.server.auth.TwoFactorService;
import dev.parley.server.chat.StoreException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts API under {@code /api/v1/auth/} (see docs/api.md): JSON in, JSON out, errors as
 * {@code {"error": {"code", "message"}}}. The one place where {@link AuthException}s become HTTP
 * statuses.
 *
 * <p>Cross-site request forgery: a request that changes state is refused (403) when it carries an
 * {@code Origin} other than its own {@code Host}, and, when the {@code parley_session} cookie is
 * what signs it in, also when it carries no {@code Origin} at all (browsers always send one with
 * such requests; scripts use bearer tokens). Bodies must be JSON (415 otherwise), which no HTML
 * form can send. Thread-safe; all blocking work happens in {@link AccountService}'s executors.
 */
public final class AuthApi {
  private static final Logger log = LoggerFactory.getLogger(AuthApi.class);
  static final String BASE = ApiHandler.PREFIX + "/auth";
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** A refusal with its HTTP status, raised before the service is asked. */
  private static final class ApiError extends RuntimeException {
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }

    /** 405, naming the methods the route takes. */
    static ApiError methodNotAllowed(String allowed) {
      return new ApiError(405, "method_not_allowed", allowed);
    }
  }

  private final AccountService accounts;
  private final TwoFactorService twoFactor;
  private final OidcApi oidc;
  private final RateLimiter limiter;
  private final boolean secureCookies;

  /**
   * @param oidc the routes of sign-in through OpenID Connect providers, under {@code oidc/}
   * @param secureCookies whether the session cookie gets {@code Secure} (served over TLS, or
   *     behind a proxy that is)
   */
  public AuthApi(AccountService accounts, TwoFactorService twoFactor, OidcApi oidc, RateLimiter limiter,
      boolean secureCookies) {
    this.accounts = accounts;
    this.twoFactor = twoFactor;
    this.oidc = oidc;
    this.limiter = limiter;
    this.secureCookies = secureCookies;
  }

  /** Answers a request; the future never fails. */
  public CompletableFuture<ApiResponse> handle(ApiRequest request) {
    CompletableFuture<ApiResponse> answer;
    try {
      answer = route(request);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.exceptionally(AuthApi::failure);
  }

  private CompletableFuture<ApiResponse> route(ApiRequest r) {
    String path = r.path();
    return switch (path) {
      case BASE + "/register" -> post(r, this::register);
      case BASE + "/signin" -> post(r, this::signIn);
      case BASE + "/signout" -> post(r, this::signOut);
      case BASE + "/password" -> post(r, this::changePassword);
      case BASE + "/token" -> post(r, this::token);
      case BASE + "/token/refresh" -> post(r, this::refresh);
      case BASE + "/me" -> get(r, this::me);
      case BASE + "/tokens" -> switch (r.method()) {
        case "GET" -> signedIn(r).thenCompose(accounts::personalTokens).thenApply(AuthApi::tokenList);
        case "POST" -> post(r, this::createToken);
        default -> throw ApiError.methodNotAllowed("GET, POST");
      };
      case BASE + "/totp" -> get(r, p -> signedIn(p).thenCompose(twoFactor::status).thenApply(AuthApi::totpStatus));
      case BASE + "/totp/setup" -> post(r, this::setupTotp);
      case BASE + "/totp/enable" -> post(r, this::enableTotp);
      case BASE + "/totp/disable" -> post(r, this::disableTotp);
      case BASE + "/totp/verify" -> post(r, this::verifyTotp);
      default -> {
        if (path.startsWith(OidcApi.BASE + "/")) {
          yield oidc.handle(r);
        }
        if (path.startsWith(BASE + "/tokens/")) {
          yield revokeToken(r, path.substring((BASE + "/tokens/").length()));
        }
        throw new ApiError(404, "not_found", "no such API route");
      }
    };
  }

  // ---- routes ----------------------------------------------------------------------------------

  private CompletableFuture<ApiResponse> register(ApiRequest r, ObjectNode body) {
    Optional<Duration> wait = limiter.authAttempt(r.remote());
    if (wait.isPresent()) {
      return CompletableFuture.completedFuture(tooMany(wait.get(), "too many attempts from your address"));
    }
    return accounts.register(text(body, "username"), text(body, "password"), optionalText(body, "displayName"),
        optionalText(body, "email")).thenApply(account -> json(201, object().set("user", user(account))));
  }

  private CompletableFuture<ApiResponse> signIn(ApiRequest r, ObjectNode body) {
    Optional<Duration> wait = limiter.signIn(text(body, "username"), r.remote());
    if (wait.isPresent()) {
      return CompletableFuture.completedFuture(tooMany(wait.get(), "too many sign-in attempts; wait and try again"));
    }
    return accounts.signIn(text(body, "username"), text(body, "password"), r.header("user-agent").orElse(""))
        .thenApply(this::session)
        .exceptionallyCompose(e -> AccountService.unwrap(e) instanceof SecondFactorRequired needed
            ? CompletableFuture.completedFuture(secondFactor(needed)) : CompletableFuture.failedFuture(e));
  }

  /** The answer that opens a web session: the user, and the cookie. */
  private ApiResponse session(AccountService.SignedIn signedIn) {
    ObjectNode out = object();
    out.set("user", user(signedIn.account()));
    out.put("expiresAt", signedIn.session().expiresAt().toEpochMilli());
    long maxAge = Duration.between(signedIn.session().createdAt(), signedIn.session().expiresAt()).toSeconds();
    return json(200, out, "Set-Cookie", cookie(signedIn.token(), maxAge, secureCookies));
  }

  private static ApiResponse secondFactor(SecondFactorRequired needed) {
    ObjectNode out = object();
    out.put("totpRequired", true);
    out.put("challenge", needed.challenge());
    out.put("expiresAt", needed.expiresAt().toEpochMilli());
    return json(200, out);
  }

  // ---- two-factor sign-in ----------------------------------------------------------------------

  private CompletableFuture<ApiResponse> setupTotp(ApiRequest r, ObjectNode body) {
    return signedIn(r).thenCompose(twoFactor::setup).thenApply(setup -> {
      ObjectNode out = object();
      out.put("secret", setup.secret());
      out.put("uri", setup.uri());
      return json(200, out);
    });
  }

  private CompletableFuture<ApiResponse> enableTotp(ApiRequest r, ObjectNode body) {
    String code = text(body, "code");
    return signedIn(r).thenCompose(p -> twoFactor.enable(p, code)).thenApply(codes -> {
      ArrayNode list = JSON.createArrayNode();
      codes.forEach(list::add);
      return json(200, object().set("recoveryCodes", list));
    });
  }

  private CompletableFuture<ApiResponse> disableTotp(ApiRequest r, ObjectNode body) {
    String password = text(body, "password");
    String code = text(body, "code");
    return signedIn(r).thenCompose(p -> twoFactor.disable(p, password, code)).thenApply(ignored -> noContent());
  }

  /** The second step of a sign-in: the challenge and a code; wrong codes count as sign-in attempts. */
  private CompletableFuture<ApiResponse> verifyTotp(ApiRequest r, ObjectNode body) {
    String challenge = text(body, "challenge");
    String code = text(body, "code");
    return accounts.challengeAccountName(challenge).thenCompose(name -> {
      Optional<Duration> wait = limiter.signIn(name, r.remote());
      if (wait.isPresent()) {
        return CompletableFuture.completedFuture(tooMany(wait.get(), "too many sign-in attempts; wait and try again"));
      }
      return accounts.completeSignIn(challenge, code, r.header("user-agent").orElse("")).thenApply(this::session);
    });
  }

  private static ApiResponse totpStatus(TwoFactorService.Status status) {
    ObjectNode out = object();
    out.put("enabled", status.enabled());
    out.put("recoveryCodesLeft", status.recoveryCodesLeft());
    return json(200, out);
  }

  /** Ends the session if one signs the request in; clears the cookie either way. */
  private CompletableFuture<ApiResponse> signOut(ApiRequest r, ObjectNode body) {
    ApiResponse done = new ApiResponse(204, new byte[0], List.of("Set-Cookie", cookie("", 0, secureCookies)));
    return principal(r).thenCompose(p -> p.isEmpty() ? CompletableFuture.completedFuture(done)
        : accounts.signOut(p.get()).thenApply(ignored -> done));
  }

  private CompletableFuture<ApiResponse> changePassword(ApiRequest r, ObjectNode body) {
    String current = text(body, "currentPassword");
    String next = text(body, "newPassword");
    return signedIn(r).thenCompose(p -> accounts.changePassword(p, current, next)).thenApply(ignored -> noContent());
  }

  /** With {@code refreshToken} in the body, a refresh; otherwise the session cookie's exchange. */
  private CompletableFuture<ApiResponse> token(ApiRequest r, ObjectNode body) {
    Optional<String> refresh = optionalText(body, "refreshToken");
    if (refresh.isPresent()) {
      return accounts.refresh(refresh.get()).thenApply(AuthApi::tokens);
    }
    return signedIn(r).thenCompose(accounts::issueTokens).thenApply(AuthApi::tokens);
  }

  private CompletableFuture<ApiResponse> refresh(ApiRequest r, ObjectNode body) {
    return accounts.refresh(text(body, "refreshToken")).thenApply(AuthApi::tokens);
  }

  private CompletableFuture<ApiResponse> me(ApiRequest r) {
    return signedIn(r).thenCompose(p -> accounts.account(p.userId()).thenApply(account -> {
      ObjectNode out = object();
      out.set("user", user(account));
      out.put("via", p.via().name().toLowerCase(Locale.ROOT));
      return json(200, out);
    }));
  }

  private CompletableFuture<ApiResponse> createToken(ApiRequest r, ObjectNode body) {
    String name = text(body, "name");
    Optional<Duration> lifetime = optionalInt(body, "expiresInDays", 1, 366).map(Duration::ofDays);
    return signedIn(r).thenCompose(p -> accounts.createPersonalToken(p, name, lifetime)).thenApply(made -> {
      ObjectNode out = object();
      out.set("token", token(made.token()));
      out.put("secret", made.secret());
      return json(201, out);
    });
  }

  private CompletableFuture<ApiResponse> revokeToken(ApiRequest r, String id) {
    if (!r.method().equals("DELETE")) {
      throw ApiError.methodNotAllowed("DELETE");
    }
    checkWrite(r);
    long tokenId;
    try {
      tokenId = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new ApiError(404, "not_found", "no such token");
    }
    return signedIn(r).thenCompose(p -> accounts.revokePersonalToken(p, tokenId)).thenApply(ignored -> noContent());
  }

  // ---- request checks --------------------------------------------------------------------------

  /** A POST route: checked against CSRF, its body parsed as a JSON object. */
  private CompletableFuture<ApiResponse> post(ApiRequest r,
      BiFunction<ApiRequest, ObjectNode, CompletableFuture<ApiResponse>> route) {
    if (!r.method().equals("POST")) {
      throw ApiError.methodNotAllowed("POST");
    }
    checkWrite(r);
    return route.apply(r, body(r));
  }

  private CompletableFuture<ApiResponse> get(ApiRequest r, Function<ApiRequest, CompletableFuture<ApiResponse>> route) {
    if (!r.method().equals("GET")) {
      throw ApiError.methodNotAllowed("GET");
    }
    return route.apply(r);
  }

  /** JSON only (no form can send it), and no request from another site. */
  private static void checkWrite(ApiRequest r) {
    Optional<String> type = r.header("content-type");
    if (type.isPresent() ? !isJson(type.get()) : r.body().length > 0) {
      throw new ApiError(415, "unsupported_media_type", "send the body as JSON, with Content-Type: application/json");
    }
    Optional<String> origin = r.header("origin");
    if (origin.isPresent() && !sameOrigin(origin.get(), r.header("host").orElse(""))) {
      throw new ApiError(403, "forbidden", "a request from another site is refused");
    }
  }

  private static boolean isJson(String contentType) {
    String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return media.equals("application/json");
  }

  /** Whether {@code origin} ({@code scheme://host[:port]}) names the same host and port as {@code host}. */
  static boolean sameOrigin(String origin, String host) {
    try {
      URI o = new URI(origin.strip());
      URI h = new URI(o.getScheme() + "://" + host.strip());
      if (o.getHost() == null || h.getHost() == null || o.getRawPath() != null && !o.getRawPath().isEmpty()
          || !(o.getScheme().equals("http") || o.getScheme().equals("https"))) {
        return false;
      }
      int defaultPort = o.getScheme().equals("https") ? 443 : 80;
      return o.getHost().equalsIgnoreCase(h.getHost())
          && (o.getPort() < 0 ? defaultPort : o.getPort()) == (h.getPort() < 0 ? defaultPort : h.getPort());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Who signs the request in, if anyone: the bearer token when there is an Authorization header,
   * else the session cookie. A state-changing request signed in by the cookie must say where it
   * comes from (Origin), as browsers do.
   */
  private CompletableFuture<Optional<Principal>> principal(ApiRequest r) {
    String bearer = null;
    Optional<String> authorization = r.header("authorization");
    if (authorization.isPresent()) {
      String value = authorization.get().strip();
      if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new ApiError(401, "unauthorized", "use Authorization: Bearer <token>");
      }
      bearer = value.substring(7).strip();
    }
    String cookies = bearer == null ? r.header("cookie").orElse(null) : null;
    if (r.changesState() && AccountService.sessionCookie(cookies).isPresent() && r.header("origin").isEmpty()) {
      throw new ApiError(403, "forbidden", "a request signed in by cookie must carry an Origin header");
    }
    return accounts.authenticate(cookies, bearer);
  }

  private CompletableFuture<Principal> signedIn(ApiRequest r) {
    return principal(r).thenApply(p -> p.orElseThrow(() -> new ApiError(401, "unauthorized",
        "sign in first: the credential is missing, expired or revoked")));
  }

  private static ObjectNode body(ApiRequest r) {
    if (r.body().length == 0) {
      return object();
    }
    JsonNode node;
    try {
      node = JSON.readTree(r.body());
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "invalid_argument", "the body is not valid JSON");
    } catch (IOException e) {
      throw new ApiError(400, "invalid_argument", "the body cannot be read");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ApiError(400, "invalid_argument", "the body must be a JSON object");
    }
    return object;
  }

  private static String text(ObjectNode body, String field) {
    return optionalText(body, field).orElseThrow(() -> new ApiError(400, "invalid_argument", field + " is required"));
  }

  private static Optional<String> optionalText(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new ApiError(400, "invalid_argument", field + " must be a string");
    }
    return Optional.of(value.textValue());
  }

  private static Optional<Integer> optionalInt(ObjectNode body, String field, int min, int max) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
      throw new ApiError(400, "invalid_argument", field + " must be a whole number from " + min + " to " + max);
    }
    return Optional.of(value.intValue());
  }

  // ---- answers ---------------------------------------------------------------------------------

  /** The {@code Set-Cookie} value of the session cookie; also for {@link OidcApi}. */
  static String cookie(String value, long maxAgeSeconds, boolean secure) {
    return AccountService.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
        + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
  }

  static ObjectNode user(Account account) {
    ObjectNode out = object();
    out.put("id", Long.toString(account.id()));
    out.put("name", account.name());
    account.displayName().ifPresent(d -> out.put("displayName", d));
    account.email().ifPresent(e -> out.put("email", e));
    out.put("emailVerified", account.emailVerified());
    out.put("role", account.role().name().toLowerCase(Locale.ROOT));
    out.put("createdAt", account.createdAt().toEpochMilli());
    return out;
  }

  private static ObjectNode token(PersonalToken token) {
    ObjectNode out = object();
    out.put("id", Long.toString(token.id()));
    out.put("name", token.name());
    out.put("prefix", token.prefix());
    out.put("createdAt", token.createdAt().toEpochMilli());
    token.expiresAt().ifPresent(t -> out.put("expiresAt", t.toEpochMilli()));
    token.lastUsedAt().ifPresent(t -> out.put("lastUsedAt", t.toEpochMilli()));
    return out;
  }

  private static ApiResponse tokenList(List<PersonalToken> tokens) {
    ArrayNode list = JSON.createArrayNode();
    tokens.forEach(t -> list.add(token(t)));
    return json(200, object().set("tokens", list));
  }

  private static ApiResponse tokens(AccountService.Tokens tokens) {
    ObjectNode out = object();
    out.put("accessToken", tokens.accessToken().value());
    out.put("tokenType", "Bearer");
    out.put("expiresIn", Math.max(0, Duration.between(Instant.now(), tokens.accessToken().expiresAt()).toSeconds()));
    out.put("expiresAt", tokens.accessToken().expiresAt().toEpochMilli());
    out.put("refreshToken", tokens.refreshToken());
    out.put("refreshTokenExpiresAt", tokens.refreshTokenExpiresAt().toEpochMilli());
    return json(200, out);
  }

  /** 429 with Retry-After in whole seconds (at least 1) and the wait in milliseconds in the body. */
  private static ApiResponse tooMany(Duration wait, String message) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ObjectNode error = object();
    error.put("code", "rate_limited");
    error.put("message", message);
    error.put("retryAfterMs", Math.max(1, wait.toMillis()));
    return json(429, object().set("error", error), "Retry-After", Long.toString(seconds));
  }

  private static ApiResponse noContent() {
    return new ApiResponse(204, new byte[0], List.of());
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static ApiResponse json(int status, JsonNode body, String... headers) {
    try {
      return new ApiResponse(status, JSON.writeValueAsBytes(body), List.of(headers));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** An error answer: {@code {"error": {"code", "message"}}}. */
  static ApiResponse error(int status, String code, String message, String... headers) {
    ObjectNode error = object();
    error.put("code", code);
    error.put("message", message);
    return json(status, object().set("error", error), headers);
  }

  private static ApiResponse failure(Throwable failure) {
    Throwable e = AccountService.unwrap(failure);
    if (e instanceof ApiError api) {
      return switch (api.status) {
        case 401 -> error(401, api.code, api.getMessage(), "WWW-Authenticate", "Bearer realm=\"parley\"");
        case 405 -> error(405, api.code, "this route takes " + api.getMessage(), "Allow", api.getMessage());
        default -> error(api.status, api.code, api.getMessage());
      };
    }
    if (e instanceof AuthException auth) {
      int status = switch (auth.code()) {
        case INVALID_ARGUMENT -> 400;
        case INVALID_CREDENTIALS, UNAUTHORIZED -> 401;
        case FORBIDDEN -> 403;
        case NOT_FOUND -> 404;
        case CONFLICT -> 409;
        case OVERLOADED -> 503;
      };
      return status == 401
          ? error(401, auth.code().wire(), auth.getMessage(), "WWW-Authenticate", "Bearer realm=\"parley\"")
          : error(status, auth.code().wire(), auth.getMessage());
    }
    if (e instanceof StoreException) {
      log.warn("The accounts API could not reach the database: {}", e.getMessage());
      return error(503, "unavailable", "the database does not answer; retry later");
    }
    log.error("The accounts API failed", e);
    return error(500, "internal", "the server failed; retry later");
  }
}
