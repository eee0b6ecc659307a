package dev.parley.server.auth;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA-1, six
 * digits, 30-second steps counted from the Unix epoch. The HOTP arithmetic is java-otp's; this
 * class picks the steps and compares in constant time. A code of the step before or after the
 * current one is accepted too, for clocks that disagree by up to 30 seconds. Thread-safe.
 */
final class Totp {
  static final Duration STEP = Duration.ofSeconds(30);
  static final int DIGITS = 6;
  /** 160 bits, the HMAC-SHA-1 block RFC 4226 recommends. */
  private static final int SECRET_BYTES = 20;
  private static final Pattern CODE = Pattern.compile("\\d{" + DIGITS + "}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HmacOneTimePasswordGenerator hotp = new HmacOneTimePasswordGenerator(DIGITS);

  /** A new random secret, base32 without padding, as authenticator apps take it. */
  static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return new Base32().encodeAsString(bytes).replace("=", "");
  }

  /** The step {@code at} falls in. */
  static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP.getSeconds());
  }

  /** Whether the text has the shape of a code (six digits), whatever its value. */
  static boolean looksLikeCode(String text) {
    return text != null && CODE.matcher(text).matches();
  }

  /** The code of {@code step} for a base32 secret. */
  String code(String secret, long step) {
    try {
      return hotp.generateOneTimePasswordString(key(secret), step, Locale.ROOT);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("an HMAC-SHA-1 key was refused: " + e.getMessage(), e);
    }
  }

  /** The step of the window around {@code now} whose code {@code code} is, if any. */
  OptionalLong matchingStep(String secret, String code, Instant now) {
    if (!looksLikeCode(code)) {
      return OptionalLong.empty();
    }
    long current = step(now);
    long found = -1;
    // Every candidate is computed and compared, so the time taken says nothing of which matched.
    for (long step = current - 1; step <= current + 1; step++) {
      if (MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII),
          code.getBytes(StandardCharsets.US_ASCII))) {
        found = step;
      }
    }
    return found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
  }

  /**
   * The {@code otpauth://} URI of a secret, for a QR code (the Key Uri Format of authenticator
   * apps): the label is {@code issuer:account}, and the issuer is repeated as a parameter.
   */
  static String uri(String issuer, String account, String secret) {
    String label = encode(issuer) + ":" + encode(account);
    return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(issuer)
        + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP.getSeconds();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Key key(String secret) {
    return new SecretKeySpec(new Base32().decode(secret), "HmacSHA1");
  }
}
