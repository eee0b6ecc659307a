package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The signing key: made once with owner-only permissions, then read back on every start. */
@Timeout(30)
class SigningKeyFileTest {
  @TempDir
  Path dataDir;

  @Test
  void theFirstStartMakesAKeyReadableByTheOwnerOnly() throws Exception {
    Path file = SigningKeyFile.in(dataDir);

    ECKey key = SigningKeyFile.loadOrCreate(file);

    assertThat(file).isEqualTo(dataDir.resolve("keys/jwt-signing.json")).exists();
    assertThat(key.getCurve()).isEqualTo(Curve.P_256);
    assertThat(key.isPrivate()).isTrue();
    assertThat(key.getKeyID()).isNotBlank();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void laterStartsUseTheSameKeySoTokensSurviveARestart() {
    Path file = SigningKeyFile.in(dataDir);
    ECKey first = SigningKeyFile.loadOrCreate(file);
    String token = new TokenService(first, Clock.systemUTC()).issue(7, "s", Instant.now().plus(Duration.ofDays(1))).value();

    ECKey again = SigningKeyFile.loadOrCreate(file);

    assertThat(again).isEqualTo(first);
    assertThat(new TokenService(again, Clock.systemUTC()).verify(token)).isPresent();
  }

  @Test
  void aFileThatIsNoPrivateP256KeyStopsTheStart() throws Exception {
    Path file = SigningKeyFile.in(dataDir);
    Files.createDirectories(file.getParent());

    Files.writeString(file, "not json");
    assertThatThrownBy(() -> SigningKeyFile.loadOrCreate(file)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a JWK");

    Files.writeString(file, new ECKeyGenerator(Curve.P_256).keyID("k").generate().toPublicJWK().toJSONString());
    assertThatThrownBy(() -> SigningKeyFile.loadOrCreate(file)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("private key");

    Files.writeString(file, new ECKeyGenerator(Curve.P_384).keyID("k").generate().toJSONString());
    assertThatThrownBy(() -> SigningKeyFile.loadOrCreate(file)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("P-256");
  }
}
