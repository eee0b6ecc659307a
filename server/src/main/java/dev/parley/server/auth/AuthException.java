package dev.parley.server.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * A request the accounts service refuses. The code says why; the HTTP API maps it to a status at
 * one place. Messages are safe to show: they never contain a password or a token.
 */
public final class AuthException extends RuntimeException {
  /** Why a request was refused. */
  public enum Code {
    /** A field is missing, of the wrong type or out of its limits. */
    INVALID_ARGUMENT("invalid_argument"),
    /** Wrong name or password: the same answer whether the name exists or not. */
    INVALID_CREDENTIALS("invalid_credentials"),
    /** No credential, or one that is unknown, expired or revoked. */
    UNAUTHORIZED("unauthorized"),
    /** The credential is valid but may not do this. */
    FORBIDDEN("forbidden"),
    NOT_FOUND("not_found"),
    /** The name is taken. */
    CONFLICT("conflict"),
    /** Too much work queued; retry later. */
    OVERLOADED("overloaded"),
    /** A one-time code that does not match; the code may still be tried again. */
    INVALID_CODE("invalid_code"),
    /** No code to check: it expired, used up its attempts, or none was sent. Ask for a new one. */
    CODE_EXPIRED("code_expired"),
    /** The mail server cannot be reached or refused the message; retry later. */
    MAIL_UNAVAILABLE("mail_unavailable"),
    /** Asked too often; {@link #retryAfter()} says when it would be allowed. */
    RATE_LIMITED("rate_limited");

    private final String wire;

    Code(String wire) {
      this.wire = wire;
    }

    /** The code as clients see it. */
    public String wire() {
      return wire;
    }
  }

  private final Code code;
  private final Optional<Duration> retryAfter;

  public AuthException(Code code, String message) {
    this(code, message, Optional.empty());
  }

  private AuthException(Code code, String message, Optional<Duration> retryAfter) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfter = retryAfter;
  }

  public Code code() {
    return code;
  }

  /** For {@link Code#RATE_LIMITED}: how long until it would be allowed. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }

  static AuthException rateLimited(Duration wait, String message) {
    return new AuthException(Code.RATE_LIMITED, message, Optional.of(wait));
  }

  static AuthException invalid(String message) {
    return new AuthException(Code.INVALID_ARGUMENT, message);
  }

  static AuthException unauthorized() {
    return new AuthException(Code.UNAUTHORIZED, "sign in first: the credential is missing, expired or revoked");
  }

  static AuthException wrongCredentials() {
    return new AuthException(Code.INVALID_CREDENTIALS, "wrong name or password");
  }
}
