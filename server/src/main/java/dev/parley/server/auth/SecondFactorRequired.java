package dev.parley.server.auth;

import java.time.Instant;

/**
 * The answer to a right password of an account with two-factor sign-in: no session yet, but a
 * challenge to complete with a code ({@link AccountService#completeSignIn}). Raised instead of a
 * result so that no caller can open a session while ignoring the second factor.
 */
public final class SecondFactorRequired extends RuntimeException {
  private final String challenge;
  private final Instant expiresAt;

  SecondFactorRequired(String challenge, Instant expiresAt) {
    super("a second factor is required", null, false, false);
    this.challenge = challenge;
    this.expiresAt = expiresAt;
  }

  /** The secret to send back with the code; single-use. */
  public String challenge() {
    return challenge;
  }

  public Instant expiresAt() {
    return expiresAt;
  }
}
