package dev.parley.server.auth;

import java.time.Duration;

/**
 * Delivers one-time codes to email addresses: over SMTP, or into the server log when no mail
 * server is configured. Calls block until the message is handed over (or refused): make them on
 * the mail executor, never on an event loop.
 */
public interface Mailer {
  /** The message could not be handed to the mail server. Its message never holds the code. */
  final class MailException extends RuntimeException {
    public MailException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Sends {@code code} to {@code address}, for the account {@code accountName}.
   *
   * @throws MailException if the mail server cannot be reached or refuses the message
   */
  void sendVerificationCode(String accountName, String address, String code, Duration validFor);
}
