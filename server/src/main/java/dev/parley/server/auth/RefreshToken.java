package dev.parley.server.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * A refresh token as stored: it can be exchanged once for an access token and its successor.
 *
 * @param id the SHA-256 of the token, in hex
 * @param familyId shared by every token rotated from the same first issue
 * @param sessionId the web session the tokens were issued for
 * @param userId whose token it is
 * @param createdAt when it was issued
 * @param expiresAt after this it is refused
 * @param usedAt when it was exchanged; a second exchange is a reuse
 * @param revokedAt when its family was revoked
 */
public record RefreshToken(String id, long familyId, String sessionId, long userId, Instant createdAt,
    Instant expiresAt, Optional<Instant> usedAt, Optional<Instant> revokedAt) {}
