package dev.parley.server.auth;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Six-digit one-time codes: drawn from {@link SecureRandom}, stored as an Argon2id hash with a
 * salt of their own, checked in constant time. A million codes are few, so the hash is the slow
 * kind: guessing a stolen one takes far longer than the ten minutes it lives. Each hash takes
 * tens of milliseconds and 19 MiB (the password settings): run it on the hashing executor.
 * Thread-safe.
 */
final class OneTimeCodes {
  static final int DIGITS = 6;
  private static final int SALT_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  /** A code and how it is stored. */
  record Issued(String code, String salt, String hash) {}

  private final Argon2Function argon2 = Argon2Function.getInstance(Passwords.MEMORY_KIB, Passwords.ITERATIONS,
      Passwords.PARALLELISM, Passwords.HASH_BYTES, Argon2.ID, Argon2Function.ARGON2_VERSION_13);

  /** A new code, 000000 to 999999 with every value as likely, and its salted hash. */
  Issued issue() {
    String code = String.format("%06d", RANDOM.nextInt(1_000_000));
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new Issued(code, HEX.formatHex(salt), HEX.formatHex(hash(code, salt)));
  }

  /** Whether {@code code} is the one stored as {@code salt} and {@code hash}; constant time. */
  boolean matches(String code, String salt, String hash) {
    byte[] expected;
    byte[] saltBytes;
    try {
      expected = HEX.parseHex(hash);
      saltBytes = HEX.parseHex(salt);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hash(code, saltBytes), expected);
  }

  /** Whether {@code code} looks like a code at all: exactly six ASCII digits. */
  static boolean wellFormed(String code) {
    return code != null && code.length() == DIGITS && code.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private byte[] hash(String code, byte[] salt) {
    return argon2.hash(code.getBytes(StandardCharsets.US_ASCII), salt).getBytes();
  }
}
