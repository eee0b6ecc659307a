package dev.parley.server.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.text.Normalizer;

/**
 * Hashes and checks passwords with Argon2id: 19 MiB of memory, 2 iterations, 1 lane, a 16-byte
 * random salt and a 32-byte hash (OWASP's minimum for Argon2id), kept in the PHC string form
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) so stronger settings can come later without
 * breaking stored hashes. Each call takes tens of milliseconds of one core and 19 MiB: run it on
 * a small bounded executor, never on an event loop. Thread-safe.
 *
 * <p>Passwords are NFKC-normalized first, so the same password typed on two keyboards that encode
 * it differently matches.
 */
public final class Passwords {
  static final int MEMORY_KIB = 19 * 1024;
  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  static final int HASH_BYTES = 32;
  static final int SALT_BYTES = 16;

  private final Argon2Function argon2 = Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES,
      Argon2.ID, Argon2Function.ARGON2_VERSION_13);
  /** A hash of a random password, checked when there is no account so that both cost the same. */
  private final String dummy = hash(Secrets.random(16));

  /** The Argon2id hash of {@code password}, as a PHC string. */
  public String hash(String password) {
    return Password.hash(normalize(password)).addRandomSalt(SALT_BYTES).with(argon2).getResult();
  }

  /** Whether {@code password} matches {@code storedHash}; false for a hash it cannot read. */
  public boolean matches(String password, String storedHash) {
    try {
      return Password.check(normalize(password), storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
    } catch (RuntimeException e) {
      // A damaged or foreign hash: refuse, and say nothing of the hash itself.
      return false;
    }
  }

  /** Spends the time of a real check, for a name with no account behind it. Always false. */
  public boolean matchesNothing(String password) {
    matches(password, dummy);
    return false;
  }

  static String normalize(String password) {
    return Normalizer.normalize(password, Normalizer.Form.NFKC);
  }
}
