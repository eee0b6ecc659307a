package dev.parley.socketio;

/** A client sent something that does not follow the Engine.IO or Socket.IO protocol. */
final class ProtocolException extends Exception {
  ProtocolException(String message) {
    super(message, null, false, false);
  }
}
