package dev.parley.server.auth;

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
    OVERLOADED("overloaded");

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

  public AuthException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
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
