package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigTest {
  @Test
  void defaultsStartAnEmbeddedServerOnPort3000() {
    Config config = Config.parse(new String[0], Map.of());
    assertThat(config.port()).isEqualTo(3000);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.db()).isEmpty();
    assertThat(config.publicDir()).isEmpty();
    assertThat(config.maxMessageLength()).isEqualTo(4000);
    assertThat(config.recoveryWindow()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheConfigFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("parley.properties");
    Files.writeString(file, "port=4000\ndata-dir=/from/file\nlog-level=debug\n");
    Config config = Config.parse(new String[] {"--config", file.toString(), "--port", "5000"},
        Map.of("PARLEY_PORT", "4500", "PARLEY_DATA_DIR", "/from/env"));
    assertThat(config.port()).isEqualTo(5000);
    assertThat(config.dataDir()).isEqualTo(Path.of("/from/env"));
    assertThat(config.logLevel()).isEqualTo("DEBUG");
  }

  @Test
  void acceptsNameEqualsValueAndLists() {
    Config config = Config.parse(new String[] {"--db=postgresql://root@127.0.0.1:5432/test",
        "--allowed-origins", "https://a.example, https://b.example", "--public-dir", "public"}, Map.of());
    assertThat(config.db()).isEqualTo(Optional.of("postgresql://root@127.0.0.1:5432/test"));
    assertThat(config.allowedOrigins()).isEqualTo(List.of("https://a.example", "https://b.example"));
    assertThat(config.publicDir()).isEqualTo(Optional.of(Path.of("public")));
  }

  @Test
  void refusesWhatItDoesNotUnderstandWithAMessageNamingIt() {
    assertThatThrownBy(() -> Config.parse(new String[] {"--prot", "1"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--prot");
    assertThatThrownBy(() -> Config.parse(new String[] {"--port", "http"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--port");
    assertThatThrownBy(() -> Config.parse(new String[] {"--port", "70000"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("65535");
    assertThatThrownBy(() -> Config.parse(new String[] {"--port"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> Config.parse(new String[] {"--log-level", "LOUD"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--log-level");
  }

  @Test
  void usageListsEveryOption() {
    String usage = Config.usage();
    for (String option : List.of("--port", "--host", "--data-dir", "--db", "--public-dir", "--log-level",
        "--max-message-length", "--config", "--help", "--tls-cert", "--tls-key", "--allowed-origins")) {
      assertThat(usage).contains(option);
    }
    assertThat(usage).contains("the server's own only");
  }

  @Test
  void withoutTlsOptionsTheServerSpeaksPlainHttpToItsOwnOriginOnly() {
    Config config = Config.parse(new String[0], Map.of());
    assertThat(config.tls()).isEmpty();
    assertThat(config.allowedOrigins()).as("empty means the server's own origin").isEmpty();
  }

  @Test
  void tlsCertificateAndKeyComeFromFlagsEnvironmentOrFile(@TempDir Path dir) throws IOException {
    Config.Tls expected = new Config.Tls(Path.of("/etc/parley/cert.pem"), Path.of("/etc/parley/key.pem"));
    Path file = dir.resolve("parley.properties");
    Files.writeString(file, "tls-cert=/etc/parley/cert.pem\ntls-key=/etc/parley/key.pem\n");

    assertThat(Config.parse(new String[] {"--tls-cert", "/etc/parley/cert.pem", "--tls-key=/etc/parley/key.pem"},
        Map.of()).tls()).contains(expected);
    assertThat(Config.parse(new String[0],
        Map.of("PARLEY_TLS_CERT", "/etc/parley/cert.pem", "PARLEY_TLS_KEY", "/etc/parley/key.pem")).tls())
        .contains(expected);
    assertThat(Config.parse(new String[] {"--config", file.toString()}, Map.of()).tls()).contains(expected);
  }

  @Test
  void tlsCertificateAndKeyGoTogether() {
    assertThatThrownBy(() -> Config.parse(new String[] {"--tls-cert", "cert.pem"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--tls-key is missing");
    assertThatThrownBy(() -> Config.parse(new String[0], Map.of("PARLEY_TLS_KEY", "key.pem")))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--tls-cert is missing");
  }

  @Test
  void theSessionCookieIsSecureOnlyWhenAsked() {
    assertThat(Config.parse(new String[0], Map.of()).secureCookies()).isFalse();
    assertThat(Config.parse(new String[] {"--secure-cookies", "true"}, Map.of()).secureCookies()).isTrue();
    assertThat(Config.parse(new String[0], Map.of("PARLEY_SECURE_COOKIES", "TRUE")).secureCookies()).isTrue();
    assertThatThrownBy(() -> Config.parse(new String[] {"--secure-cookies", "yes"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--secure-cookies");
  }

  @Test
  void withoutAnSmtpHostNothingIsMailed() {
    Config.Mail mail = Config.parse(new String[0], Map.of()).mail();
    assertThat(mail.host()).isEmpty();
    assertThat(mail.port()).isEqualTo(587);
    assertThat(mail.startTls()).as("STARTTLS is required unless turned off").isTrue();
    assertThat(mail.user()).isEmpty();
  }

  @Test
  void smtpOptionsMakeOneMailSetting(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("parley.properties");
    Files.writeString(file, "smtp-host=smtp.example.org\nsmtp-user=bot\nsmtp-from=Parley <chat@example.org>\n");
    Config.Mail mail = Config.parse(new String[] {"--config", file.toString(), "--smtp-port", "2525",
        "--smtp-starttls", "false"}, Map.of("PARLEY_SMTP_PASSWORD", "s3cret")).mail();

    assertThat(mail).isEqualTo(new Config.Mail(Optional.of("smtp.example.org"), 2525, Optional.of("bot"),
        Optional.of("s3cret"), "Parley <chat@example.org>", false));
    assertThat(mail.toString()).as("the password never shows").doesNotContain("s3cret");
  }

  @Test
  void smtpSettingsThatCannotWorkAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> Config.parse(new String[] {"--smtp-user", "bot"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--smtp-password is missing");
    assertThatThrownBy(() -> Config.parse(new String[] {"--smtp-port", "0"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--smtp-port");
    assertThatThrownBy(() -> Config.parse(new String[] {"--smtp-from", "nobody"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--smtp-from");
    assertThatThrownBy(() -> Config.parse(new String[] {"--smtp-starttls", "maybe"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--smtp-starttls");
    assertThat(Config.usage()).contains("--smtp-host", "--smtp-port", "--smtp-user", "--smtp-password", "--smtp-from",
        "--smtp-starttls");
  }

  @Test
  void oidcProvidersComeFromTheFileTheEnvironmentAndFlags(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("parley.properties");
    Files.writeString(file, "public-url=https://chat.example/\n"
        + "oidc.corp.issuer=https://id.corp.example/realms/staff\n"
        + "oidc.corp.client-id=parley\n"
        + "oidc.corp.name=Corp SSO\n"
        + "oidc.google.issuer=https://accounts.google.com\n"
        + "oidc.google.client-id=from-file\n");
    Config config = Config.parse(new String[] {"--config", file.toString(), "--oidc.google.scopes", "openid,email"},
        Map.of("PARLEY_OIDC_CORP_CLIENT_SECRET", "s3cret", "PARLEY_OIDC_GOOGLE_CLIENT_ID", "from-env",
            "PARLEY_OIDC_MY_IDP_ISSUER", "https://idp.example", "PARLEY_OIDC_MY_IDP_CLIENT_ID", "x"));

    assertThat(config.oidc().publicUrl()).contains(java.net.URI.create("https://chat.example"));
    assertThat(config.oidc().providers()).containsExactly(
        new dev.parley.server.auth.OidcProvider("corp", "Corp SSO", java.net.URI.create(
            "https://id.corp.example/realms/staff"), "parley", Optional.of("s3cret"), List.of("openid", "profile",
            "email")),
        new dev.parley.server.auth.OidcProvider("google", "google", java.net.URI.create("https://accounts.google.com"),
            "from-env", Optional.empty(), List.of("openid", "email")),
        new dev.parley.server.auth.OidcProvider("my-idp", "my-idp", java.net.URI.create("https://idp.example"), "x",
            Optional.empty(), List.of("openid", "profile", "email")));
  }

  @Test
  void noProvidersByDefaultAndIncompleteOnesAreRefused() {
    assertThat(Config.parse(new String[0], Map.of()).oidc().providers()).isEmpty();
    assertThat(Config.parse(new String[0], Map.of()).oidc().publicUrl()).isEmpty();
    assertThat(Config.parse(new String[] {"--oidc.x.issuer", "https://x.example", "--oidc.x.client-id", "c",
        "--oidc.x.scopes", "email"}, Map.of()).oidc().providers().get(0).scopes())
        .as("openid is always asked for").containsExactly("openid", "email");
    assertThatThrownBy(() -> Config.parse(new String[] {"--oidc.x.issuer", "https://x.example"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("oidc.x.client-id is missing");
    assertThatThrownBy(() -> Config.parse(new String[] {"--oidc.x.client-id", "c"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("oidc.x.issuer is missing");
    assertThatThrownBy(() -> Config.parse(new String[] {"--oidc.x.issuer", "not a url", "--oidc.x.client-id", "c"},
        Map.of())).isInstanceOf(Config.UsageException.class).hasMessageContaining("oidc.x");
    assertThatThrownBy(() -> Config.parse(new String[] {"--oidc.x.issuer", "ftp://x.example", "--oidc.x.client-id",
        "c"}, Map.of())).isInstanceOf(Config.UsageException.class).hasMessageContaining("http(s)");
    assertThatThrownBy(() -> Config.parse(new String[] {"--oidc.X.issuer", "https://x.example"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--oidc.X.issuer");
    assertThatThrownBy(() -> Config.parse(new String[] {"--oidc.x.secret", "s"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--oidc.x.secret");
    assertThatThrownBy(() -> Config.parse(new String[] {"--public-url", "chat.example"}, Map.of()))
        .isInstanceOf(Config.UsageException.class).hasMessageContaining("--public-url");
    assertThat(Config.usage()).contains("--public-url", "--oidc.<id>.issuer");
  }

  // ---- the production example ------------------------------------------------------------------

  @Test
  void theProductionExampleLoadsAsAProductionSetup() {
    Config config = Config.parse(new String[] {"--config", productionExample().toString()}, Map.of());

    assertThat(config.db()).hasValueSatisfying(db -> assertThat(db).startsWith("jdbc:postgresql://"));
    assertThat(config.guests()).isFalse();
    assertThat(config.secureCookies()).isTrue();
    assertThat(config.allowedOrigins()).isNotEmpty().allSatisfy(o -> assertThat(o).startsWith("https://"));
    assertThat(config.trustedProxies()).isNotEmpty();
    assertThat(config.admins()).isNotEmpty();
    assertThat(config.mail().host()).isPresent();
    assertThat(config.mail().startTls()).isTrue();
    assertThat(config.mail().user()).isPresent();
    assertThat(config.limits()).isNotNull();
  }

  @Test
  void theProductionExamplesCommentedAlternativesAreOptionsToo(@TempDir Path dir) throws IOException {
    List<String> lines = Files.readAllLines(productionExample());
    List<String> uncommented = lines.stream()
        .map(l -> l.matches("#[a-z.-]+=.*") ? l.substring(1) : l).toList();
    assertThat(uncommented).as("it has commented-out alternatives").isNotEqualTo(lines);
    Path file = dir.resolve("all.properties");
    Files.write(file, uncommented);

    Config config = Config.parse(new String[] {"--config", file.toString()}, Map.of());

    assertThat(config.tls()).isPresent();
    assertThat(config.clustering().redis()).isPresent();
    assertThat(config.oidc().providers()).hasSize(1);
  }

  @Test
  void everySettingOfTheProductionExampleIsExplainedByAComment() throws IOException {
    List<String> lines = Files.readAllLines(productionExample());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        // Its group of lines (up to the blank line above) opens with a comment.
        int first = i;
        while (first > 0 && !lines.get(first - 1).isBlank()) {
          first--;
        }
        assertThat(lines.get(first).strip()).as("a comment opens the group of '%s'", line).startsWith("#");
      }
    }
  }

  /** docs/parley.production.properties, found from the module or the project folder. */
  private static Path productionExample() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/parley.production.properties"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("docs/parley.production.properties above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir.resolve("docs/parley.production.properties");
  }
}
