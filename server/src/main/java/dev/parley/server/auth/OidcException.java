package dev.parley.server.auth;

/**
 * Why a sign-in through an OpenID Connect provider did not complete. The code is what the web app
 * is told ({@code /?signin_error=code}); the message is safe to show and to log.
 */
public final class OidcException extends RuntimeException {
  /** Why, as the web app sees it. */
  public enum Reason {
    /** No provider has that id. */
    UNKNOWN_PROVIDER("unknown_provider"),
    /** The person declined at the provider, or the provider refused the request. */
    DENIED("access_denied"),
    /** The answer does not belong to a sign-in this browser started (forged or mixed up). */
    INVALID_STATE("invalid_state"),
    /** The sign-in was started too long ago, or in another browser. */
    EXPIRED("expired"),
    /** The provider could not be reached or answered with an error. */
    PROVIDER_UNAVAILABLE("provider_unavailable"),
    /** The provider's answer or ID token failed the checks. */
    INVALID_TOKEN("invalid_token"),
    /** The account linked to the identity is deactivated. */
    ACCOUNT_DISABLED("account_disabled"),
    /** Too much work queued; retry later. */
    OVERLOADED("overloaded");

    private final String wire;

    Reason(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private final Reason reason;

  public OidcException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
