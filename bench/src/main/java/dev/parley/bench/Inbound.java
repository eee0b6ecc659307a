package dev.parley.bench;

import java.util.OptionalLong;

/**
 * A packet received by a generator client: the Engine.IO v4 packets a WebSocket client sees, and
 * the Socket.IO v5 packets of the main namespace carried in Engine.IO messages.
 */
public sealed interface Inbound {

  /** Engine.IO {@code 0{...}}: the session is open. */
  record Open(String sid, long pingIntervalMillis, long pingTimeoutMillis, long maxPayload) implements Inbound {}

  /** Engine.IO {@code 1}: the server closes the session. */
  record Close() implements Inbound {}

  /** Engine.IO {@code 2}: a heartbeat the client must answer with {@code 3}. */
  record Ping() implements Inbound {}

  /** Engine.IO {@code 6}: no operation. */
  record Noop() implements Inbound {}

  /** Socket.IO {@code 40{"sid":...}}: the namespace accepted the client. */
  record Connected(String sid) implements Inbound {}

  /** Socket.IO {@code 41}: the server left the namespace. */
  record Disconnected() implements Inbound {}

  /** Socket.IO {@code 44{...}}: the namespace refused the client. */
  record ConnectError(String json) implements Inbound {}

  /**
   * Socket.IO {@code 42[<id>]["name",...]}: an event.
   *
   * @param ackId present when the server asks for an acknowledgement
   * @param name the event name
   * @param argsJson the arguments after the name, as a JSON array
   */
  record Event(OptionalLong ackId, String name, String argsJson) implements Inbound {}

  /**
   * Socket.IO {@code 43<id>[...]}: the acknowledgement of an event this client sent.
   *
   * @param argsJson the arguments as a JSON array
   */
  record Ack(long id, String argsJson) implements Inbound {}

  /** Anything this generator does not speak (binary, other namespaces, Engine.IO upgrade). */
  record Unsupported(String text) implements Inbound {}
}
