package dev.parley.socketio;

/**
 * Handles one event received from a client. Runs on the socket's event loop: it must not block.
 * Hand slow work to an executor and answer through {@code ack} when it completes.
 */
@FunctionalInterface
public interface EventHandler {
  /**
   * @param args the event's arguments (without the event name)
   * @param ack answers the client; a no-op when the client asked for no acknowledgement
   */
  void handle(Args args, Ack ack);
}
