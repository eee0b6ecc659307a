package dev.parley.socketio;

/** Something the Socket.IO server could not do, for example because the socket disconnected. */
public class SocketIoException extends RuntimeException {
  public SocketIoException(String message) {
    super(message);
  }

  public SocketIoException(String message, Throwable cause) {
    super(message, cause);
  }
}
