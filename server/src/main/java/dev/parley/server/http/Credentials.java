package dev.parley.server.http;

import dev.parley.server.auth.AccountService;
import dev.parley.server.auth.Principal;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Who signs an API request in: the bearer token (an access token or a personal access token)
 * when there is an {@code Authorization} header, else the session cookie. Shared by every API so
 * that all of them accept the same credentials under the same rules. Thread-safe.
 */
final class Credentials {
  private final AccountService accounts;

  Credentials(AccountService accounts) {
    this.accounts = accounts;
  }

  /**
   * Who signs the request in, if anyone. A state-changing request signed in by the cookie must
   * say where it comes from (Origin), as browsers do; {@link ApiRouter} has already refused one
   * from another site.
   */
  CompletableFuture<Optional<Principal>> principal(ApiRequest r) {
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

  /** The signed-in principal; 401 when the request has no valid credential. */
  CompletableFuture<Principal> signedIn(ApiRequest r) {
    return principal(r).thenApply(p -> p.orElseThrow(() -> new ApiError(401, "unauthorized",
        "sign in first: the credential is missing, expired or revoked")));
  }
}
