package dev.parley.server.auth;

import java.time.Instant;

/**
 * A one-time code sent to an account's email address, as stored: never the code itself.
 *
 * @param userId whose code it is
 * @param address the address it was sent to, lower-cased
 * @param salt the random salt of {@code hash}, hex
 * @param hash the Argon2id hash of the code with {@code salt}, hex
 * @param createdAt when it was sent
 * @param expiresAt after this it verifies nothing
 * @param attempts how many checks it has had, the one being made included once taken
 */
public record EmailCode(long userId, String address, String salt, String hash, Instant createdAt, Instant expiresAt,
    int attempts) {}
