package dev.parley.server.mail;

import dev.parley.server.Config;
import dev.parley.server.auth.Mailer;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * Mails codes through an SMTP server with Jakarta Mail: one connection per message, STARTTLS
 * required when configured (with the server's certificate and name checked), a login when a user
 * is given, and timeouts so that a mail server that hangs holds a mail thread for seconds, not
 * forever. Thread-safe: a {@link Session} may be shared.
 */
public final class SmtpMailer implements Mailer {
  /** How long connecting, and then each read or write, may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Session session;
  private final InternetAddress from;

  /**
   * @param mail the settings; {@code mail.host()} must be present
   * @throws IllegalArgumentException if the sender address cannot be parsed
   */
  public SmtpMailer(Config.Mail mail) {
    String host = mail.host().orElseThrow(() -> new IllegalArgumentException("no SMTP host"));
    try {
      this.from = new InternetAddress(mail.from(), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("--smtp-from is not a valid address: " + mail.from(), e);
    }
    Properties p = new Properties();
    p.setProperty("mail.transport.protocol", "smtp");
    p.setProperty("mail.smtp.host", host);
    p.setProperty("mail.smtp.port", Integer.toString(mail.port()));
    p.setProperty("mail.smtp.connectiontimeout", Long.toString(TIMEOUT.toMillis()));
    p.setProperty("mail.smtp.timeout", Long.toString(TIMEOUT.toMillis()));
    p.setProperty("mail.smtp.writetimeout", Long.toString(TIMEOUT.toMillis()));
    p.setProperty("mail.smtp.starttls.enable", Boolean.toString(mail.startTls()));
    p.setProperty("mail.smtp.starttls.required", Boolean.toString(mail.startTls()));
    p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
    p.setProperty("mail.smtp.auth", Boolean.toString(mail.user().isPresent()));
    Authenticator login = mail.user().map(user -> (Authenticator) new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(user, mail.password().orElseThrow());
      }
    }).orElse(null);
    this.session = Session.getInstance(p, login);
  }

  @Override
  public void sendVerificationCode(String accountName, String address, String code, Duration validFor) {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(from);
      message.setRecipient(Message.RecipientType.TO, new InternetAddress(address, true));
      message.setSubject("Your Parley verification code", StandardCharsets.UTF_8.name());
      message.setSentDate(new Date());
      message.setText("Hello " + accountName + ",\n\n"
          + "enter this code in Parley to verify your email address:\n\n"
          + "    " + code + "\n\n"
          + "It is valid for " + validFor.toMinutes() + " minutes. If you did not ask for it, ignore this message:\n"
          + "the address stays unverified.\n", StandardCharsets.UTF_8.name());
      Transport.send(message);
    } catch (MessagingException e) {
      // The exception's text says what the server answered; it never contains the message body.
      throw new MailException("SMTP delivery failed: " + e.getMessage(), e);
    }
  }
}
