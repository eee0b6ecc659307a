package dev.parley.server.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Where accounts' email addresses and their one-time codes are kept. Methods block (database
 * work): call them on a store executor, never on an event loop. They throw {@code StoreException}
 * when the store cannot answer. Addresses are compared lower-cased ({@code Locale.ROOT}).
 */
public interface EmailStore {
  /** What became of a request to set an address. */
  enum SetResult {
    /** The account now has the address, unverified. */
    SET,
    /** The account had verified this very address already: nothing changed. */
    UNCHANGED,
    /** Another account has verified the address: nothing changed. */
    TAKEN,
    /** No such active account. */
    NO_ACCOUNT
  }

  /**
   * Gives the account the address {@code email}, unverified, and drops any code waiting for it —
   * unless another account has verified the same address (in any case).
   */
  SetResult setEmail(long userId, String email);

  /** Stores the account's new code in place of any earlier one. */
  void saveCode(EmailCode code);

  /**
   * Takes one attempt at the account's code, in one step: if the code exists, is not expired at
   * {@code now} and has had fewer than {@code maxAttempts} checks, counts this one and returns the
   * code (with the count including it). Empty otherwise: there is nothing left to check against.
   * Of any number of concurrent attempts, at most {@code maxAttempts} ever get the code.
   */
  Optional<EmailCode> takeAttempt(long userId, Instant now, int maxAttempts);

  /** What became of a verification. */
  enum VerifyResult {
    /** The address is the account's, verified; its code is gone. */
    VERIFIED,
    /** The account's address is no longer the one the code was sent to (or it was deactivated). */
    ADDRESS_CHANGED,
    /** Another account verified the address first. */
    TAKEN
  }

  /**
   * Marks the account's address verified if it is still {@code address} (lower-cased) and no
   * other account has verified it, and deletes the account's code.
   */
  VerifyResult markVerified(long userId, String address);

  /** Deletes the codes that expired by {@code now} or have no attempts left; returns how many. */
  int purgeCodes(Instant now, int maxAttempts);
}
