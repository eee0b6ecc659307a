package dev.parley.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where TOTP secrets, recovery codes and pending sign-in challenges are kept. Methods block
 * (database work) and are called on the store executor. They throw {@code StoreException} when the
 * store cannot answer. Recovery codes and challenges are only ever passed as hashes.
 */
public interface TwoFactorStore {
  /**
   * An account's authenticator.
   *
   * @param secret the shared secret, base32
   * @param enabledAt when a code confirmed it; empty while it is being set up
   * @param lastStep the time step of the last code accepted (0 for none)
   */
  record Credential(long userId, String secret, Instant createdAt, Optional<Instant> enabledAt, long lastStep) {
    public boolean enabled() {
      return enabledAt.isPresent();
    }
  }

  /** A password checked and a second factor awaited. */
  record Challenge(String id, long userId, Instant createdAt, Instant expiresAt, int failures) {}

  Optional<Credential> credential(long userId);

  /**
   * Stores a new secret being set up, replacing one being set up before. Returns false, changing
   * nothing, when the account has an enabled authenticator.
   */
  boolean beginSetup(long userId, String secret, Instant at);

  /**
   * Turns the authenticator being set up on with {@code secret} (the one that was confirmed),
   * records {@code step} as used and stores the recovery codes' hashes in place of any old ones,
   * in one transaction. Returns false, changing nothing, if there is no such secret being set up.
   */
  boolean enable(long userId, String secret, long step, List<String> recoveryCodeHashes, Instant at);

  /** Removes the authenticator, its recovery codes and pending challenges. Returns false if there was none. */
  boolean disable(long userId);

  /**
   * Records {@code step} as the last one used if it is later than the last one recorded; false
   * (a replay, or an earlier code) otherwise. Of two concurrent uses of one code, exactly one wins.
   */
  boolean useStep(long userId, long step);

  /** Marks an unused recovery code used; false if it is not one of the user's unused codes. */
  boolean useRecoveryCode(long userId, String codeHash, Instant at);

  /** How many of the user's recovery codes are still unused. */
  int unusedRecoveryCodes(long userId);

  void createChallenge(Challenge challenge);

  Optional<Challenge> challenge(String id);

  /** Counts a wrong code against the challenge; returns the failures now. */
  int failChallenge(String id);

  /** Removes the challenge; false if it was gone already: of two concurrent uses, one wins. */
  boolean consumeChallenge(String id);

  /** Removes the challenges that expired before {@code now}; returns how many. */
  int deleteExpiredChallenges(Instant now);
}
