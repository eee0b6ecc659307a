package dev.parley.server.http;

import static dev.parley.server.http.ApiJson.JSON;
import static dev.parley.server.http.ApiJson.json;
import static dev.parley.server.http.ApiJson.noContent;
import static dev.parley.server.http.ApiJson.object;
import static dev.parley.server.http.ApiJson.optionalInt;
import static dev.parley.server.http.ApiJson.optionalText;
import static dev.parley.server.http.ApiJson.text;
import static dev.parley.server.http.ApiJson.tooMany;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.Account;
import dev.parley.server.auth.AccountService;
import dev.parley.server.auth.PersonalToken;
import dev.parley.server.auth.Principal;
import dev.parley.server.auth.SecondFactorRequired;
import dev.parley.server.auth.TwoFactorService;
import dev.parley.server.http.ApiRouter.Route;
import dev.parley.server.limits.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The accounts API under {@code /api/v1/auth/} (see docs/api.md), two-factor sign-in included:
 * its routes, for {@link ApiRouter}, which also checks requests that change state against
 * cross-site forgery and maps refusals to statuses. Thread-safe; all blocking work happens in
 * {@link AccountService}'s executors.
 */
public final class AuthApi {
  static final String BASE = ApiHandler.PREFIX + "/auth";

  private final AccountService accounts;
  private final TwoFactorService twoFactor;
  private final Credentials credentials;
  private final RateLimiter limiter;
  private final boolean secureCookies;

  /**
   * @param secureCookies whether the session cookie gets {@code Secure} (served over TLS, or
   *     behind a proxy that is)
   */
  public AuthApi(AccountService accounts, TwoFactorService twoFactor, RateLimiter limiter, boolean secureCookies) {
    this.accounts = accounts;
    this.twoFactor = twoFactor;
    this.credentials = new Credentials(accounts);
    this.limiter = limiter;
    this.secureCookies = secureCookies;
  }

  List<Route> routes() {
    return List.of(
        Route.post(BASE + "/register", post(this::register)),
        Route.post(BASE + "/signin", post(this::signIn)),
        Route.post(BASE + "/signout", post(this::signOut)),
        Route.post(BASE + "/password", post(this::changePassword)),
        Route.post(BASE + "/token", post(this::token)),
        Route.post(BASE + "/token/refresh", post(this::refresh)),
        Route.get(BASE + "/me", call -> me(call.request())),
        Route.get(BASE + "/tokens",
            call -> signedIn(call.request()).thenCompose(accounts::personalTokens).thenApply(AuthApi::tokenList)),
        Route.post(BASE + "/tokens", post(this::createToken)),
        Route.delete(BASE + "/tokens/{tokenId}", call -> revokeToken(call.request(), call.id("tokenId"))),
        Route.get(BASE + "/totp",
            call -> signedIn(call.request()).thenCompose(twoFactor::status).thenApply(AuthApi::totpStatus)),
        Route.post(BASE + "/totp/setup", post(this::setupTotp)),
        Route.post(BASE + "/totp/enable", post(this::enableTotp)),
        Route.post(BASE + "/totp/disable", post(this::disableTotp)),
        Route.post(BASE + "/totp/verify", post(this::verifyTotp)));
  }

  /** A route that reads its body as a JSON object before it runs. */
  private static ApiRouter.Handler post(BiFunction<ApiRequest, ObjectNode, CompletableFuture<ApiResponse>> route) {
    return call -> route.apply(call.request(), call.body());
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
    return json(200, out, "Set-Cookie", cookie(signedIn.token(), maxAge));
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
    ApiResponse done = new ApiResponse(204, new byte[0], List.of("Set-Cookie", cookie("", 0)));
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

  private CompletableFuture<ApiResponse> revokeToken(ApiRequest r, long tokenId) {
    return signedIn(r).thenCompose(p -> accounts.revokePersonalToken(p, tokenId)).thenApply(ignored -> noContent());
  }

  // ---- credentials ---------------------------------------------------------------------------

  private CompletableFuture<Optional<Principal>> principal(ApiRequest r) {
    return credentials.principal(r);
  }

  private CompletableFuture<Principal> signedIn(ApiRequest r) {
    return credentials.signedIn(r);
  }

  // ---- answers ---------------------------------------------------------------------------------

  private String cookie(String value, long maxAgeSeconds) {
    return cookie(value, maxAgeSeconds, secureCookies);
  }

  /** The {@code Set-Cookie} value of the session cookie (also {@link OidcApi}'s); an empty value with 0 clears it. */
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
}
