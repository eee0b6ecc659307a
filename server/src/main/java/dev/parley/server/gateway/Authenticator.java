package dev.parley.server.gateway;

import dev.parley.server.auth.Principal;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** How the Socket.IO gateways learn who a connection acts for (the accounts service). */
public interface Authenticator {
  /**
   * Who the {@code Cookie} header's session or the bearer token proves; empty when neither is
   * given or valid. Fails only when the store cannot answer.
   */
  CompletableFuture<Optional<Principal>> authenticate(String cookieHeaderOrNull, String bearerTokenOrNull);

  /** The principal again if its credential is still valid, with current name and role; else empty. */
  CompletableFuture<Optional<Principal>> revalidate(Principal principal);

  /** Whether a {@code Cookie} header carries a session cookie at all. */
  boolean hasSessionCookie(String cookieHeaderOrNull);
}
