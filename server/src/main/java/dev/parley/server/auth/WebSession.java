package dev.parley.server.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * A signed-in browser, or the session a client exchanged for tokens.
 *
 * @param id the SHA-256 of the session's token, in hex; the token itself is never stored
 * @param userId whose session it is
 * @param createdAt when the user signed in
 * @param expiresAt when it ends, however active
 * @param lastSeenAt when it was last used (updated at most every few minutes)
 * @param revokedAt when it was signed out or revoked
 * @param userAgent the browser's User-Agent at sign-in, shortened, for a list of sessions
 */
public record WebSession(String id, long userId, Instant createdAt, Instant expiresAt, Instant lastSeenAt,
    Optional<Instant> revokedAt, String userAgent) {

  /** Whether it can still authenticate at {@code now}. */
  public boolean activeAt(Instant now) {
    return revokedAt.isEmpty() && now.isBefore(expiresAt);
  }
}
