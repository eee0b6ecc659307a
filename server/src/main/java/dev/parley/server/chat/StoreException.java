package dev.parley.server.chat;

/** The store could not do what was asked. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }

  /** The database cannot be reached (down, or no connection free in time); nothing was done. */
  public static final class Unavailable extends StoreException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A unique name is taken. */
  public static final class Conflict extends StoreException {
    public Conflict(String message) {
      super(message);
    }
  }
}
