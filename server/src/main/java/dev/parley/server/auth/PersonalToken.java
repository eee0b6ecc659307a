package dev.parley.server.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * A personal access token as listed to its owner; the secret is shown once, at creation.
 *
 * @param id the token's id
 * @param userId whose token it is
 * @param name what the owner called it
 * @param prefix the first characters of the secret, to recognise it
 * @param createdAt when it was created
 * @param expiresAt when it stops working; empty for never
 * @param lastUsedAt when it last authenticated (updated at most every few minutes)
 * @param revokedAt when it was revoked
 */
public record PersonalToken(long id, long userId, String name, String prefix, Instant createdAt,
    Optional<Instant> expiresAt, Optional<Instant> lastUsedAt, Optional<Instant> revokedAt) {

  /** Whether it can still authenticate at {@code now}. */
  public boolean activeAt(Instant now) {
    return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
  }
}
