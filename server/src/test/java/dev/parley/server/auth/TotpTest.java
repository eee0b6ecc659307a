package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

/** The codes are RFC 6238's (its SHA-1 test vectors, cut to six digits) and the window is one step each way. */
class TotpTest {
  /** RFC 6238 appendix B: the ASCII key "12345678901234567890". */
  static final String RFC_SECRET = new Base32().encodeAsString("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
  final Totp totp = new Totp();

  @Test
  void codesAreTheRfcTestVectors() {
    assertThat(totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
    assertThat(totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
    assertThat(totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1234567890)))).isEqualTo("005924");
    assertThat(totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(20000000000L)))).isEqualTo("353130");
  }

  @Test
  void aCodeOfTheStepBeforeOrAfterMatchesButNotTwoAway() {
    Instant now = Instant.ofEpochSecond(1111111109);
    long step = Totp.step(now);

    assertThat(totp.matchingStep(RFC_SECRET, totp.code(RFC_SECRET, step), now)).hasValue(step);
    assertThat(totp.matchingStep(RFC_SECRET, totp.code(RFC_SECRET, step - 1), now)).hasValue(step - 1);
    assertThat(totp.matchingStep(RFC_SECRET, totp.code(RFC_SECRET, step + 1), now)).hasValue(step + 1);
    assertThat(totp.matchingStep(RFC_SECRET, totp.code(RFC_SECRET, step - 2), now)).isEmpty();
    assertThat(totp.matchingStep(RFC_SECRET, totp.code(RFC_SECRET, step + 2), now)).isEmpty();
    assertThat(totp.matchingStep(RFC_SECRET, "12345", now)).isEmpty();
    assertThat(totp.matchingStep(RFC_SECRET, "abcdef", now)).isEmpty();
  }

  @Test
  void secretsAre160RandomBitsInBase32AndTheUriIsWhatAppsRead() {
    String secret = Totp.newSecret();
    assertThat(secret).matches("[A-Z2-7]{32}");
    assertThat(new Base32().decode(secret)).hasSize(20);
    assertThat(Totp.newSecret()).isNotEqualTo(secret);

    assertThat(Totp.uri("Parley", "Ada L", secret)).isEqualTo("otpauth://totp/Parley:Ada%20L?secret=" + secret
        + "&issuer=Parley&algorithm=SHA1&digits=6&period=30");
  }
}
