package dev.parley.server.mail;

import dev.parley.server.auth.Mailer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes codes to the server log instead of mailing them: what a server without
 * {@code --smtp-host} does, so that a local setup can verify addresses. One INFO line per code.
 * Thread-safe.
 */
public final class LogMailer implements Mailer {
  private static final Logger log = LoggerFactory.getLogger(LogMailer.class);

  @Override
  public void sendVerificationCode(String accountName, String address, String code, Duration validFor) {
    log.info("Email verification code for account '{}' <{}>: {} (valid {} minutes; set --smtp-host to mail it instead)",
        accountName, address, code, validFor.toMinutes());
  }
}
