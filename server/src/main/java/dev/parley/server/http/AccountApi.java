package dev.parley.server.http;

import static dev.parley.server.http.ApiJson.json;
import static dev.parley.server.http.ApiJson.noContent;
import static dev.parley.server.http.ApiJson.object;
import static dev.parley.server.http.ApiJson.text;
import static dev.parley.server.http.ApiJson.tooMany;
import static dev.parley.server.http.AuthApi.user;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.AccountService;
import dev.parley.server.auth.AccountStore;
import dev.parley.server.auth.EmailVerification;
import dev.parley.server.auth.Principal;
import dev.parley.server.http.ApiRouter.Route;
import dev.parley.server.limits.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The account-management routes of the API (see docs/api.md): the email address and its
 * one-time codes ({@code /auth/email…}), the user's sessions ({@code /auth/sessions…}),
 * deactivation ({@code /auth/deactivate}) and the admins' {@code /admin/users/{userId}/deactivate}.
 * Its routes go into {@link ApiRouter}'s table, which checks requests that change state and maps
 * refusals to statuses. Thread-safe; the work runs in the services' executors.
 */
public final class AccountApi {
  private static final String AUTH = AuthApi.BASE;
  private static final String SESSION_ID = "sessionId";
  private static final String USER_ID = "userId";
  /** A session id: the SHA-256 of its token, in lowercase hex. */
  private static final Pattern SESSION_ID_FORMAT = Pattern.compile("[0-9a-f]{64}");

  private final AccountService accounts;
  private final Credentials credentials;
  private final EmailVerification email;
  private final RateLimiter limiter;
  private final boolean secureCookies;

  /**
   * @param secureCookies whether the session cookie gets {@code Secure}, as {@link AuthApi}'s
   */
  public AccountApi(AccountService accounts, EmailVerification email, RateLimiter limiter, boolean secureCookies) {
    this.accounts = accounts;
    this.credentials = new Credentials(accounts);
    this.email = email;
    this.limiter = limiter;
    this.secureCookies = secureCookies;
  }

  List<Route> routes() {
    return List.of(
        Route.post(AUTH + "/email", call -> setEmail(call.request(), call.body())),
        Route.post(AUTH + "/email/code", call -> {
          call.body(); // takes no fields, but what is sent must still be a JSON object
          return credentials.signedIn(call.request()).thenCompose(email::sendCode).thenApply(ignored -> noContent());
        }),
        Route.post(AUTH + "/email/verify", call -> verify(call.request(), call.body())),
        Route.get(AUTH + "/sessions", call -> sessions(call.request())),
        Route.delete(AUTH + "/sessions/{" + SESSION_ID + "}", this::revokeSession),
        Route.post(AUTH + "/deactivate", call -> deactivate(call.request(), call.body())),
        Route.post(ApiHandler.PREFIX + "/admin/users/{" + USER_ID + "}/deactivate", this::adminDeactivate));
  }

  // ---- email -----------------------------------------------------------------------------------

  private CompletableFuture<ApiResponse> setEmail(ApiRequest r, ObjectNode body) {
    String address = text(body, "email");
    return credentials.signedIn(r).thenCompose(p -> email.setEmail(p, address)).thenApply(set -> {
      ObjectNode out = object();
      out.set("user", user(set.account()));
      out.put("codeSent", set.codeSent());
      return json(200, out);
    });
  }

  private CompletableFuture<ApiResponse> verify(ApiRequest r, ObjectNode body) {
    String code = text(body, "code");
    return credentials.signedIn(r).thenCompose(p -> email.verify(p, code))
        .thenApply(account -> json(200, object().set("user", user(account))));
  }

  // ---- sessions --------------------------------------------------------------------------------

  private CompletableFuture<ApiResponse> sessions(ApiRequest r) {
    return credentials.signedIn(r).thenCompose(p -> accounts.sessions(p).thenApply(live -> {
      ArrayNode list = object().arrayNode();
      live.forEach(s -> list.add(session(s, p)));
      return json(200, object().set("sessions", list));
    }));
  }

  /** Signed in first, so that a request without a credential is a 401 whatever its id. */
  private CompletableFuture<ApiResponse> revokeSession(ApiCall call) {
    return credentials.signedIn(call.request()).thenCompose(p -> {
      String id = call.param(SESSION_ID, SESSION_ID_FORMAT, "a session id (64 hex digits)");
      return accounts.revokeSession(p, id).thenApply(ignored ->
          p.via() == Principal.Via.SESSION && p.credentialId().equals(id)
              ? new ApiResponse(204, new byte[0], List.of("Set-Cookie", AuthApi.cookie("", 0, secureCookies)))
              : noContent());
    });
  }

  private static ObjectNode session(AccountStore.LiveSession live, Principal p) {
    ObjectNode out = object();
    out.put("id", live.session().id());
    out.put("current", p.sessionId().filter(live.session().id()::equals).isPresent());
    out.put("createdAt", live.session().createdAt().toEpochMilli());
    out.put("lastSeenAt", live.session().lastSeenAt().toEpochMilli());
    out.put("expiresAt", live.session().expiresAt().toEpochMilli());
    out.put("userAgent", live.session().userAgent());
    ArrayNode families = out.putArray("refreshTokens");
    for (AccountStore.RefreshFamily f : live.refreshFamilies()) {
      ObjectNode family = families.addObject();
      family.put("familyId", Long.toString(f.familyId()));
      family.put("createdAt", f.createdAt().toEpochMilli());
      f.lastUsedAt().ifPresent(t -> family.put("lastUsedAt", t.toEpochMilli()));
      family.put("expiresAt", f.expiresAt().toEpochMilli());
    }
    return out;
  }

  // ---- deactivation ----------------------------------------------------------------------------

  /** Guessing the password here is limited like signing in. */
  private CompletableFuture<ApiResponse> deactivate(ApiRequest r, ObjectNode body) {
    String password = text(body, "password");
    return credentials.signedIn(r).thenCompose(p -> {
      Optional<Duration> wait = limiter.signIn(p.name(), r.remote());
      if (wait.isPresent()) {
        return CompletableFuture.completedFuture(tooMany(wait.get(), "too many attempts; wait and try again"));
      }
      return accounts.deactivateSelf(p, password).thenApply(ignored ->
          new ApiResponse(204, new byte[0], List.of("Set-Cookie", AuthApi.cookie("", 0, secureCookies))));
    });
  }

  /** Signed in first, so that a request without a credential is a 401 whatever its id. */
  private CompletableFuture<ApiResponse> adminDeactivate(ApiCall call) {
    call.body(); // takes no fields, but what is sent must still be a JSON object
    return credentials.signedIn(call.request())
        .thenCompose(p -> accounts.deactivateAsAdmin(p, call.id(USER_ID)))
        .thenApply(ignored -> noContent());
  }
}
