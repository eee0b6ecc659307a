package dev.parley.bench;

/**
 * The text of the packets a generator client sends. Arguments are passed as ready-made JSON so
 * that the sending hot path builds each payload with one {@link StringBuilder}.
 */
public final class Packets {
  /** Socket.IO CONNECT to the main namespace, without auth (see {@link NamespaceSession#connectPacket()}). */
  public static final String CONNECT = "40";
  /** Engine.IO answer to a server ping. */
  public static final String PONG = "3";

  private Packets() {}

  /** {@code 42["name",arg]}: an event without acknowledgement. */
  public static String event(String name, String jsonArg) {
    return new StringBuilder(name.length() + jsonArg.length() + 8)
        .append("42[").append(Json.quote(name)).append(',').append(jsonArg).append(']').toString();
  }

  /** {@code 42<id>["name",arg]}: an event whose receiver should answer {@code 43<id>[...]}. */
  public static String eventWithAck(long ackId, String name, String jsonArg) {
    if (ackId < 0) {
      throw new IllegalArgumentException("ack id must not be negative: " + ackId);
    }
    return new StringBuilder(name.length() + jsonArg.length() + 28)
        .append("42").append(ackId).append('[').append(Json.quote(name)).append(',').append(jsonArg).append(']')
        .toString();
  }

  /** {@code 42<id>["name"]}: an event without arguments that asks for an acknowledgement. */
  public static String eventWithAck(long ackId, String name) {
    return "42" + ackId + "[" + Json.quote(name) + "]";
  }

  /** {@code 42/nsp,["name",arg]}, or {@link #event(String, String)} for the main namespace. */
  public static String event(String namespace, String name, String jsonArg) {
    if (namespace.equals("/")) {
      return event(name, jsonArg);
    }
    return new StringBuilder(namespace.length() + name.length() + jsonArg.length() + 8)
        .append("42").append(namespace).append(",[").append(Json.quote(name)).append(',').append(jsonArg).append(']')
        .toString();
  }

  /**
   * {@code 42/nsp,<id>["name",arg]}, or {@link #eventWithAck(long, String, String)} for the main
   * namespace; without arguments when {@code jsonArg} is null.
   */
  public static String eventWithAck(String namespace, long ackId, String name, String jsonArg) {
    if (ackId < 0) {
      throw new IllegalArgumentException("ack id must not be negative: " + ackId);
    }
    StringBuilder packet = new StringBuilder(namespace.length() + name.length()
        + (jsonArg == null ? 0 : jsonArg.length()) + 30).append("42");
    if (!namespace.equals("/")) {
      packet.append(namespace).append(',');
    }
    packet.append(ackId).append('[').append(Json.quote(name));
    if (jsonArg != null) {
      packet.append(',').append(jsonArg);
    }
    return packet.append(']').toString();
  }
}
