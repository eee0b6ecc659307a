package dev.parley.server.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * A registered user.
 *
 * @param id the user id, shared with the chat (a user of kind {@code account})
 * @param name the unique name signed in with, as registered (compared case-insensitively)
 * @param displayName the name shown to others, when chosen
 * @param email the address given at registration, if any
 * @param emailVerified whether that address was proven to be the user's
 * @param role what the user may do on the server
 * @param createdAt when the account was registered
 * @param deactivatedAt when it was deactivated; empty while it is active
 */
public record Account(
    long id,
    String name,
    Optional<String> displayName,
    Optional<String> email,
    boolean emailVerified,
    Role role,
    Instant createdAt,
    Optional<Instant> deactivatedAt) {

  /** Whether the account may still sign in. */
  public boolean active() {
    return deactivatedAt.isEmpty();
  }
}
