package dev.parley.bench;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A packet received by a generator client: the Engine.IO v4 packets a WebSocket client sees, and
 * the Socket.IO v5 packets carried in Engine.IO messages, each with its namespace ({@code /} for
 * the main one).
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

  /**
   * Socket.IO {@code 40[/nsp,]{"sid":...[,"pid":...]}}: the namespace accepted the client.
   *
   * @param pid the private session id, present when the server has connection-state recovery
   */
  record Connected(String namespace, String sid, Optional<String> pid) implements Inbound {}

  /** Socket.IO {@code 41[/nsp,]}: the server left the namespace. */
  record Disconnected(String namespace) implements Inbound {}

  /** Socket.IO {@code 44[/nsp,]{...}}: the namespace refused the client. */
  record ConnectError(String namespace, String json) implements Inbound {}

  /**
   * Socket.IO {@code 42[/nsp,][<id>]["name",...]}: an event.
   *
   * @param ackId present when the server asks for an acknowledgement
   * @param name the event name
   * @param argsJson the arguments after the name, as a JSON array
   */
  record Event(String namespace, OptionalLong ackId, String name, String argsJson) implements Inbound {}

  /**
   * Socket.IO {@code 43[/nsp,]<id>[...]}: the acknowledgement of an event this client sent.
   *
   * @param argsJson the arguments as a JSON array
   */
  record Ack(String namespace, long id, String argsJson) implements Inbound {}

  /** Anything this generator does not speak (binary, Engine.IO upgrade). */
  record Unsupported(String text) implements Inbound {}
}
