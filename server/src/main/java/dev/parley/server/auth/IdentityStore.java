package dev.parley.server.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Where accounts signed into through an OpenID Connect provider are linked to the provider's
 * (issuer, subject) pair. Methods block (database work) and are called on the store executor.
 * They throw {@code StoreException} when the store cannot answer.
 */
public interface IdentityStore {
  /** The account linked to the provider's person {@code subject} at {@code issuer}, whatever its state. */
  Optional<Account> accountByIdentity(String issuer, String subject);

  /**
   * Creates an account without a password, named {@code name}, linked to (issuer, subject), in one
   * transaction. Empty, creating nothing, when any user has the name in any case; fails with
   * {@code StoreException.Conflict} when the identity is linked already (to whichever account).
   */
  Optional<Account> createLinkedAccount(String issuer, String subject, String name, Optional<String> displayName,
      Optional<String> email, Instant createdAt);
}
