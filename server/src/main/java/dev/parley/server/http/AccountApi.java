package dev.parley.server.http;

import static dev.parley.server.http.AuthApi.json;
import static dev.parley.server.http.AuthApi.noContent;
import static dev.parley.server.http.AuthApi.object;
import static dev.parley.server.http.AuthApi.text;
import static dev.parley.server.http.AuthApi.tooMany;
import static dev.parley.server.http.AuthApi.user;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.AccountService;
import dev.parley.server.auth.AccountStore;
import dev.parley.server.auth.EmailVerification;
import dev.parley.server.auth.Principal;
import dev.parley.server.http.AuthApi.ApiError;
import dev.parley.server.limits.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The account-management routes of the API (see docs/api.md): the email address and its
 * one-time codes ({@code /auth/email…}), the user's sessions ({@code /auth/sessions…}),
 * deactivation ({@code /auth/deactivate}) and the admins' {@code /admin/users/{id}/deactivate}.
 * Reached through {@link AuthApi}, whose request checks (CSRF, JSON bodies, credentials) and
 * error mapping it shares. Thread-safe; the work runs in the services' executors.
 */
final class AccountApi {
  private static final String AUTH = AuthApi.BASE;
  private static final String ADMIN_USERS = ApiHandler.PREFIX + "/admin/users/";
  private static final String DEACTIVATE = "/deactivate";
  /** A session id: the SHA-256 of its token, in hex. */
  private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{64}");

  private final AuthApi api;
  private final AccountService accounts;
  private final EmailVerification email;
  private final RateLimiter limiter;

  AccountApi(AuthApi api, AccountService accounts, EmailVerification email, RateLimiter limiter) {
    this.api = api;
    this.accounts = accounts;
    this.email = email;
    this.limiter = limiter;
  }

  /** Whether {@code path} is one of these routes. */
  static boolean handles(String path) {
    return path.equals(AUTH + "/email") || path.startsWith(AUTH + "/email/") || path.equals(AUTH + "/sessions")
        || path.startsWith(AUTH + "/sessions/") || path.equals(AUTH + DEACTIVATE) || path.startsWith(ADMIN_USERS);
  }

  CompletableFuture<ApiResponse> route(ApiRequest r) {
    String path = r.path();
    if (path.equals(AUTH + "/email")) {
      return api.post(r, this::setEmail);
    }
    if (path.equals(AUTH + "/email/code")) {
      return api.post(r, this::sendCode);
    }
    if (path.equals(AUTH + "/email/verify")) {
      return api.post(r, this::verify);
    }
    if (path.equals(AUTH + "/sessions")) {
      return api.get(r, this::sessions);
    }
    if (path.startsWith(AUTH + "/sessions/")) {
      return revokeSession(r, path.substring((AUTH + "/sessions/").length()));
    }
    if (path.equals(AUTH + DEACTIVATE)) {
      return api.post(r, this::deactivate);
    }
    if (path.startsWith(ADMIN_USERS) && path.endsWith(DEACTIVATE)) {
      String id = path.substring(ADMIN_USERS.length(), path.length() - DEACTIVATE.length());
      return api.post(r, (request, body) -> adminDeactivate(request, id));
    }
    throw new ApiError(404, "not_found", "no such API route");
  }

  // ---- email -----------------------------------------------------------------------------------

  private CompletableFuture<ApiResponse> setEmail(ApiRequest r, ObjectNode body) {
    String address = text(body, "email");
    return api.signedIn(r).thenCompose(p -> email.setEmail(p, address)).thenApply(set -> {
      ObjectNode out = object();
      out.set("user", user(set.account()));
      out.put("codeSent", set.codeSent());
      return json(200, out);
    });
  }

  private CompletableFuture<ApiResponse> sendCode(ApiRequest r, ObjectNode body) {
    return api.signedIn(r).thenCompose(email::sendCode).thenApply(ignored -> noContent());
  }

  private CompletableFuture<ApiResponse> verify(ApiRequest r, ObjectNode body) {
    String code = text(body, "code");
    return api.signedIn(r).thenCompose(p -> email.verify(p, code))
        .thenApply(account -> json(200, object().set("user", user(account))));
  }

  // ---- sessions --------------------------------------------------------------------------------

  private CompletableFuture<ApiResponse> sessions(ApiRequest r) {
    return api.signedIn(r).thenCompose(p -> accounts.sessions(p).thenApply(live -> {
      ArrayNode list = object().arrayNode();
      live.forEach(s -> list.add(session(s, p)));
      return json(200, object().set("sessions", list));
    }));
  }

  private CompletableFuture<ApiResponse> revokeSession(ApiRequest r, String id) {
    if (!r.method().equals("DELETE")) {
      throw ApiError.methodNotAllowed("DELETE");
    }
    AuthApi.checkWrite(r);
    if (!SESSION_ID.matcher(id).matches()) {
      throw new ApiError(404, "not_found", "no such session");
    }
    return api.signedIn(r).thenCompose(p -> accounts.revokeSession(p, id).thenApply(ignored ->
        p.via() == Principal.Via.SESSION && p.credentialId().equals(id)
            ? new ApiResponse(204, new byte[0], List.of("Set-Cookie", api.cookie("", 0)))
            : noContent()));
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
    return api.signedIn(r).thenCompose(p -> {
      Optional<Duration> wait = limiter.signIn(p.name(), r.remote());
      if (wait.isPresent()) {
        return CompletableFuture.completedFuture(tooMany(wait.get(), "too many attempts; wait and try again"));
      }
      return accounts.deactivateSelf(p, password)
          .thenApply(ignored -> new ApiResponse(204, new byte[0], List.of("Set-Cookie", api.cookie("", 0))));
    });
  }

  private CompletableFuture<ApiResponse> adminDeactivate(ApiRequest r, String id) {
    long userId;
    try {
      userId = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new ApiError(404, "not_found", "no such account");
    }
    return api.signedIn(r).thenCompose(p -> accounts.deactivateAsAdmin(p, userId)).thenApply(ignored -> noContent());
  }
}
