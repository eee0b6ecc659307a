package dev.parley.bench;

/** A server sent something that is not the Engine.IO/Socket.IO packet it should have. */
public final class MalformedPacketException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedPacketException(String message) {
    super(message);
  }

  public MalformedPacketException(String message, Throwable cause) {
    super(message, cause);
  }
}
