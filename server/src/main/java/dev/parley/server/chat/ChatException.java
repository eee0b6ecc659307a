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

  public ChatException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
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
