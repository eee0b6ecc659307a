package dev.parley.server;

import static dev.parley.server.AccountsHttp.error;
import static dev.parley.server.AccountsHttp.json;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.parley.server.auth.EmailVerification;
import dev.parley.server.auth.TestClock;
import dev.parley.server.mail.LogMailer;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Email addresses verified with one-time codes, end to end: a real node mails the codes to a real
 * SMTP server in this JVM (GreenMail), the test reads each code out of the received mail and
 * enters it through the HTTP API. Time is a clock the test moves.
 */
@Timeout(90)
class EmailVerificationIT {
  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir
  Path dir;
  private final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private final List<Parley> nodes = new ArrayList<>();
  private Parley parley;
  private AccountsHttp api;

  @AfterEach
  void stop() {
    nodes.forEach(Parley::close);
  }

  private void start(String... extra) {
    parley = ParleyHarness.start(dir.resolve("data"), clock, extra);
    nodes.add(parley);
    api = new AccountsHttp(parley.port());
  }

  private void startWithSmtp() {
    start("--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(smtp.getSmtp().getPort()),
        "--smtp-starttls", "false", "--smtp-from", "Parley <chat@parley.test>");
  }

  /** Registers and signs in {@code name}; returns its Cookie header. */
  private String account(String name) throws Exception {
    api.register(name);
    return api.signIn(name);
  }

  private HttpResponse<String> setEmail(String cookie, String address) throws Exception {
    return api.postAs(cookie, "/api/v1/auth/email", "{\"email\":\"" + address + "\"}");
  }

  private HttpResponse<String> verify(String cookie, String code) throws Exception {
    return api.postAs(cookie, "/api/v1/auth/email/verify", "{\"code\":\"" + code + "\"}");
  }

  /** Waits for the {@code n}th mail to arrive; returns it. */
  private static MimeMessage mail(int n) {
    assertThat(smtp.waitForIncomingEmail(10_000, n)).as("mail number %d within 10 s", n).isTrue();
    return smtp.getReceivedMessages()[n - 1];
  }

  private static String codeIn(MimeMessage message) {
    Matcher m = CODE.matcher(GreenMailUtil.getBody(message));
    assertThat(m.find()).as("a 6-digit code in: %s", GreenMailUtil.getBody(message)).isTrue();
    return m.group(1);
  }

  /** A 6-digit code that is not {@code code}. */
  private static String other(String code, int i) {
    return String.format("%06d", (Integer.parseInt(code) + 1 + i) % 1_000_000);
  }

  // ---- the round trip --------------------------------------------------------------------------

  @Test
  void theMailedCodeVerifiesTheAddress() throws Exception {
    startWithSmtp();
    String ada = account("ada");

    HttpResponse<String> set = setEmail(ada, "Ada@Example.org");
    assertThat(json(set).get("codeSent").asBoolean()).isTrue();
    assertThat(json(set).at("/user/email").asText()).isEqualTo("Ada@Example.org");
    assertThat(json(set).at("/user/emailVerified").asBoolean()).isFalse();

    MimeMessage message = mail(1);
    assertThat(message.getAllRecipients()[0].toString()).isEqualTo("Ada@Example.org");
    assertThat(message.getFrom()[0].toString()).isEqualTo("Parley <chat@parley.test>");
    assertThat(message.getSubject()).isEqualTo("Your Parley verification code");
    String code = codeIn(message);
    assertThat(storedCodeColumns()).as("the code is stored hashed, never in clear").isNotEmpty()
        .noneMatch(value -> value.contains(code));

    HttpResponse<String> verified = verify(ada, code);
    assertThat(json(verified).at("/user/emailVerified").asBoolean()).isTrue();
    JsonNode me = json(api.get("/api/v1/auth/me", "Cookie", ada));
    assertThat(me.at("/user/email").asText()).isEqualTo("Ada@Example.org");
    assertThat(me.at("/user/emailVerified").asBoolean()).isTrue();
    assertThat(error(verify(ada, code), 400)).as("a code works once").isEqualTo("code_expired");
  }

  @Test
  void changingTheAddressMakesItUnverifiedAgain() throws Exception {
    startWithSmtp();
    String ada = account("ada");
    setEmail(ada, "ada@example.org");
    json(verify(ada, codeIn(mail(1))));
    clock.advance(Duration.ofMinutes(2));

    HttpResponse<String> same = setEmail(ada, "ADA@example.org");
    assertThat(json(same).get("codeSent").asBoolean()).as("the verified address again: nothing to do").isFalse();
    clock.advance(Duration.ofMinutes(2));
    HttpResponse<String> changed = setEmail(ada, "ada@elsewhere.example");
    assertThat(json(changed).at("/user/emailVerified").asBoolean()).isFalse();
    assertThat(json(api.get("/api/v1/auth/me", "Cookie", ada)).at("/user/emailVerified").asBoolean()).isFalse();
    assertThat(json(verify(ada, codeIn(mail(2)))).at("/user/email").asText()).isEqualTo("ada@elsewhere.example");
  }

  @Test
  void anAddressVerifiedByOneAccountCannotBeSetOrVerifiedByAnother() throws Exception {
    startWithSmtp();
    String ada = account("ada");
    String bob = account("bob");
    setEmail(bob, "shared@example.org");
    String bobsCode = codeIn(mail(1));
    setEmail(ada, "Shared@Example.org");
    json(verify(ada, codeIn(mail(2))));

    assertThat(error(verify(bob, bobsCode), 409)).as("claimed first, verified second").isEqualTo("conflict");
    String cy = account("cy");
    assertThat(error(setEmail(cy, "SHARED@example.org"), 409)).isEqualTo("conflict");
  }

  // ---- wrong codes, expiry, limits -------------------------------------------------------------

  @Test
  void fiveWrongCodesKillTheCode() throws Exception {
    startWithSmtp();
    String ada = account("ada");
    setEmail(ada, "ada@example.org");
    String code = codeIn(mail(1));

    for (int i = 0; i < 4; i++) {
      HttpResponse<String> wrong = verify(ada, other(code, i));
      assertThat(error(wrong, 400)).isEqualTo("invalid_code");
      assertThat(wrong.body()).contains((4 - i) + " attempt");
    }
    HttpResponse<String> last = verify(ada, other(code, 4));
    assertThat(error(last, 400)).isEqualTo("invalid_code");
    assertThat(last.body()).contains("no attempts left");

    assertThat(error(verify(ada, code), 400)).as("the right code, too late").isEqualTo("code_expired");
    assertThat(json(api.get("/api/v1/auth/me", "Cookie", ada)).at("/user/emailVerified").asBoolean()).isFalse();
  }

  @Test
  void aCodeExpiresAfterTenMinutes() throws Exception {
    startWithSmtp();
    String ada = account("ada");
    setEmail(ada, "ada@example.org");
    String code = codeIn(mail(1));

    clock.advance(Duration.ofMinutes(10));

    assertThat(error(verify(ada, code), 400)).isEqualTo("code_expired");
  }

  @Test
  void aCodeStillWorksJustBeforeItExpires() throws Exception {
    startWithSmtp();
    String ada = account("ada");
    setEmail(ada, "ada@example.org");
    String code = codeIn(mail(1));

    clock.advance(Duration.ofMinutes(10).minusSeconds(1));

    assertThat(json(verify(ada, code)).at("/user/emailVerified").asBoolean()).isTrue();
  }

  @Test
  void codesAreSentAtMostOnceAMinuteAndFiveTimesAnHour() throws Exception {
    startWithSmtp();
    String ada = account("ada");
    setEmail(ada, "ada@example.org");
    String first = codeIn(mail(1));

    HttpResponse<String> tooSoon = api.postAs(ada, "/api/v1/auth/email/code", "");
    assertThat(error(tooSoon, 429)).isEqualTo("rate_limited");
    assertThat(Long.parseLong(tooSoon.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);

    clock.advance(Duration.ofSeconds(61));
    assertThat(api.postAs(ada, "/api/v1/auth/email/code", "").statusCode()).isEqualTo(204);
    String second = codeIn(mail(2));
    if (!second.equals(first)) {
      assertThat(error(verify(ada, first), 400)).as("a new code replaces the old").isEqualTo("invalid_code");
    }
    for (int sent = 3; sent <= 5; sent++) {
      clock.advance(Duration.ofSeconds(61));
      assertThat(api.postAs(ada, "/api/v1/auth/email/code", "").statusCode()).isEqualTo(204);
      mail(sent);
    }
    clock.advance(Duration.ofSeconds(61));
    HttpResponse<String> sixth = api.postAs(ada, "/api/v1/auth/email/code", "");
    assertThat(error(sixth, 429)).isEqualTo("rate_limited");
    assertThat(Long.parseLong(sixth.headers().firstValue("retry-after").orElseThrow()))
        .as("the hour's budget, not the minute's").isGreaterThan(60L);
    assertThat(smtp.getReceivedMessages()).hasSize(5);
  }

  // ---- without SMTP, and with SMTP down --------------------------------------------------------

  @Test
  void withoutAnSmtpHostTheCodeIsWrittenToTheLog() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(LogMailer.class);
    Recorder recorder = new Recorder();
    recorder.start();
    logger.addAppender(recorder);
    // Tests log WARN and up; the server's default level is INFO.
    ch.qos.logback.classic.Level level = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    try {
      start();
      String ada = account("ada");

      assertThat(json(setEmail(ada, "ada@example.org")).get("codeSent").asBoolean()).isTrue();

      ILoggingEvent line = recorder.events.poll(10, SECONDS);
      assertThat(line).as("a log line within 10 s").isNotNull();
      assertThat(line.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
      assertThat(line.getFormattedMessage()).contains("ada@example.org").doesNotContain("\n");
      Matcher code = CODE.matcher(line.getFormattedMessage());
      assertThat(code.find()).as(line.getFormattedMessage()).isTrue();
      assertThat(json(verify(ada, code.group(1))).at("/user/emailVerified").asBoolean()).isTrue();
      assertThat(smtp.getReceivedMessages()).as("nothing mailed").isEmpty();
    } finally {
      logger.setLevel(level);
      logger.detachAppender(recorder);
    }
  }

  @Test
  void anSmtpServerThatDoesNotAnswerIsAClear503() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    start("--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(closedPort), "--smtp-starttls", "false");
    String ada = account("ada");
    Logger logger = (Logger) LoggerFactory.getLogger(EmailVerification.class);
    Recorder recorder = new Recorder();
    recorder.start();
    logger.addAppender(recorder);
    try {
      HttpResponse<String> set = setEmail(ada, "ada@example.org");

      assertThat(error(set, 503)).isEqualTo("mail_unavailable");
      ILoggingEvent warning = recorder.events.poll(10, SECONDS);
      assertThat(warning).as("a warning within 10 s").isNotNull();
      assertThat(warning.getFormattedMessage()).contains("Could not mail a verification code")
          .contains(Integer.toString(closedPort));
      assertThat(CODE.matcher(warning.getFormattedMessage()).find()).as("no code in: %s",
          warning.getFormattedMessage()).isFalse();
    } finally {
      logger.detachAppender(recorder);
    }
    assertThat(json(api.get("/api/v1/auth/me", "Cookie", ada)).at("/user/email").asText())
        .as("the address is kept; a new code can be asked for").isEqualTo("ada@example.org");
  }

  @Test
  void withStartTlsRequiredAServerWithoutTlsGetsNoMail() throws Exception {
    start("--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(smtp.getSmtp().getPort()));
    String ada = account("ada");

    assertThat(error(setEmail(ada, "ada@example.org"), 503)).isEqualTo("mail_unavailable");
    assertThat(smtp.getReceivedMessages()).as("nothing sent in clear").isEmpty();
  }

  // ---- bad requests ----------------------------------------------------------------------------

  @Test
  void badRequestsGetClearErrors() throws Exception {
    startWithSmtp();
    String ada = account("ada");

    assertThat(error(setEmail(ada, "not an address"), 400)).isEqualTo("invalid_argument");
    assertThat(error(api.postAs(ada, "/api/v1/auth/email", "{\"email\":42}"), 400)).isEqualTo("invalid_argument");
    assertThat(error(api.postAs(ada, "/api/v1/auth/email", "{}"), 400)).isEqualTo("invalid_argument");
    assertThat(error(verify(ada, "12ab56"), 400)).isEqualTo("invalid_argument");
    assertThat(error(verify(ada, "1234567"), 400)).isEqualTo("invalid_argument");
    assertThat(error(verify(ada, "123456"), 400)).as("no code was sent").isEqualTo("code_expired");
    assertThat(error(api.postAs(ada, "/api/v1/auth/email/code", ""), 400)).as("no address to verify")
        .isEqualTo("invalid_argument");
    assertThat(error(api.post("/api/v1/auth/email", "{\"email\":\"a@b.example\"}"), 401)).isEqualTo("unauthorized");
    assertThat(error(api.post("/api/v1/auth/email/verify", "{\"code\":\"123456\"}"), 401)).isEqualTo("unauthorized");
    assertThat(error(api.post("/api/v1/auth/email", "{\"email\":\"a@b.example\"}", "Cookie", ada), 403))
        .as("cookie without Origin").isEqualTo("forbidden");
    assertThat(error(api.post("/api/v1/auth/email", "{\"email\":\"a@b.example\"}", "Cookie", ada, "Origin",
        "https://evil.example"), 403)).isEqualTo("forbidden");
    assertThat(error(api.get("/api/v1/auth/email/verify", "Cookie", ada), 405)).isEqualTo("method_not_allowed");
    String pat = json(api.postAs(ada, "/api/v1/auth/tokens", "{\"name\":\"bot\"}")).get("secret").asText();
    assertThat(error(api.post("/api/v1/auth/email", "{\"email\":\"a@b.example\"}", "Authorization", "Bearer " + pat),
        403)).as("a personal access token cannot change the address").isEqualTo("forbidden");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  /** Every value in the email_codes table, as text. */
  private List<String> storedCodeColumns() throws Exception {
    List<String> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("parley.db"));
        Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT * FROM email_codes")) {
      while (rows.next()) {
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          values.add(String.valueOf(rows.getObject(i)));
        }
      }
    }
    return values;
  }

  /** Collects log events for the test to poll. */
  private static final class Recorder extends AppenderBase<ILoggingEvent> {
    final BlockingQueue<ILoggingEvent> events = new LinkedBlockingQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      events.add(event);
    }
  }
}
