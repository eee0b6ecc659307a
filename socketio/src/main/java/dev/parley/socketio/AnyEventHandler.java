package dev.parley.socketio;

/** Sees every event a socket receives, before the handler registered for its name. */
@FunctionalInterface
public interface AnyEventHandler {
  /** Called with the event name and its arguments. */
  void handle(String event, Args args);
}
