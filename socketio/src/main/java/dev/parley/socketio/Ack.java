package dev.parley.socketio;

/**
 * Answers an event that a client sent with an acknowledgement id.
 *
 * <p>Call {@link #send} at most once; later calls are ignored, as are calls when the client asked
 * for no acknowledgement ({@link #requested()} is false). It may be called from any thread.
 */
public interface Ack {
  /** Sends the acknowledgement with these arguments (serialized like {@link Socket#emit}). */
  void send(Object... args);

  /** Whether the client asked for an acknowledgement. */
  boolean requested();
}
