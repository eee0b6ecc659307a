package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading --tls-cert and --tls-key: a usable pair, or a startup error naming the file and the fault. */
@Timeout(30)
class TlsFilesTest {
  @TempDir
  Path dir;

  private TestCertificate certificate(String name, String algorithm) throws Exception {
    return TestCertificate.create(Files.createDirectories(dir.resolve(name)), algorithm);
  }

  @ParameterizedTest
  @ValueSource(strings = {"EC", "RSA"})
  void aCertificateAndItsPkcs8KeyMakeAServerContext(String algorithm) throws Exception {
    TestCertificate pair = certificate("pair", algorithm);

    SslContext context = TlsFiles.serverContext(new Config.Tls(pair.certificateFile(), pair.keyFile()));

    assertThat(context.isServer()).isTrue();
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    TestCertificate pair = certificate("pair", "EC");
    Path missing = dir.resolve("no-such-cert.pem");

    assertThatThrownBy(() -> TlsFiles.serverContext(new Config.Tls(missing, pair.keyFile())))
        .hasMessageContaining("--tls-cert " + missing).hasMessageContaining("no such file");
    assertThatThrownBy(() -> TlsFiles.serverContext(new Config.Tls(pair.certificateFile(), dir)))
        .hasMessageContaining("--tls-key " + dir);
  }

  @Test
  void aGarbledCertificateIsNamed() throws Exception {
    TestCertificate pair = certificate("pair", "EC");
    Path garbled = Files.writeString(dir.resolve("garbled.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
        + "-----END CERTIFICATE-----\n");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");

    assertThatThrownBy(() -> TlsFiles.serverContext(new Config.Tls(garbled, pair.keyFile())))
        .hasMessageStartingWith("--tls-cert " + garbled + ": ");
    assertThatThrownBy(() -> TlsFiles.serverContext(new Config.Tls(empty, pair.keyFile())))
        .hasMessageStartingWith("--tls-cert " + empty + ": ");
  }

  @Test
  void aKeyThatIsNotPkcs8IsNamedWithHowToConvertIt() throws Exception {
    TestCertificate pair = certificate("pair", "RSA");
    Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n"
        + "-----END RSA PRIVATE KEY-----\n");
    Path garbled = Files.writeString(dir.resolve("garbled.pem"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n"
        + "-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> TlsFiles.serverContext(new Config.Tls(pair.certificateFile(), pkcs1)))
        .hasMessageStartingWith("--tls-key " + pkcs1 + ": ")
        .hasMessageContaining("RSA PRIVATE KEY").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    assertThatThrownBy(() -> TlsFiles.serverContext(new Config.Tls(pair.certificateFile(), garbled)))
        .hasMessageStartingWith("--tls-key " + garbled + ": ");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() throws Exception {
    TestCertificate one = certificate("one", "EC");
    TestCertificate other = certificate("other", "EC");

    assertThatThrownBy(() -> TlsFiles.serverContext(new Config.Tls(one.certificateFile(), other.keyFile())))
        .hasMessage("--tls-key " + other.keyFile() + ": not the key of the certificate in " + one.certificateFile());
  }

  @Test
  void theServerDoesNotStartWithABadFile() throws Exception {
    TestCertificate pair = certificate("pair", "EC");
    Path missing = dir.resolve("missing-key.pem");

    assertThatThrownBy(() -> ParleyHarness.start(dir.resolve("data"),
        "--tls-cert", pair.certificateFile().toString(), "--tls-key", missing.toString()))
        .hasMessageContaining("--tls-key " + missing);
    assertThat(dir.resolve("data")).as("stopped before opening the database").doesNotExist();
  }
}
