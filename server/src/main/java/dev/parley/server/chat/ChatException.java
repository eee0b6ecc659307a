package dev.parley.server.chat;

/**
 * A request the chat refuses, with the protocol's error code (see docs/protocol.md). The
 * connection that made it stays up.
 */
public final class ChatException extends RuntimeException {
  /** The protocol's error codes. */
  public enum Code {
    INVALID_ARGUMENT("invalid_argument"),
    TOO_LONG("too_long"),
    NOT_FOUND("not_found"),
    FORBIDDEN("forbidden"),
    CONFLICT("conflict"),
    OVERLOADED("overloaded"),
    RATE_LIMITED("rate_limited"),
    /** The database cannot be reached for now; nothing was done. */
    UNAVAILABLE("unavailable"),
    INTERNAL("internal");

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
  private final long retryAfterMillis;

  public ChatException(Code code, String message) {
    this(code, message, 0);
  }

  private ChatException(Code code, String message, long retryAfterMillis) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfterMillis = retryAfterMillis;
  }

  /** Too many requests: retry after {@code retryAfterMillis} (at least 1). */
  public static ChatException rateLimited(String message, long retryAfterMillis) {
    return new ChatException(Code.RATE_LIMITED, message, Math.max(1, retryAfterMillis));
  }

  public Code code() {
    return code;
  }

  /** How long to wait before trying again, in milliseconds; 0 when it does not say. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  static ChatException invalid(String message) {
    return new ChatException(Code.INVALID_ARGUMENT, message);
  }

  static ChatException notFound(String message) {
    return new ChatException(Code.NOT_FOUND, message);
  }

  static ChatException forbidden(String message) {
    return new ChatException(Code.FORBIDDEN, message);
  }
}
