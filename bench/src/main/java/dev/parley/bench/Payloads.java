package dev.parley.bench;

/**
 * The JSON objects the generator sends as event arguments. Timestamp {@code t} and step
 * {@code s} come first so that {@link PayloadScanner} finds them after a few bytes.
 */
public final class Payloads {
  private Payloads() {}

  /** Filler text of exactly {@code bytes} ASCII bytes. */
  public static String text(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("text size must not be negative: " + bytes);
    }
    return "x".repeat(bytes);
  }

  /** {@code {room}}: the argument of {@code join} and {@code leave}. */
  public static String room(String room) {
    return "{\"room\":" + Json.quote(room) + "}";
  }

  /** The argument of {@code message}: {@code {t, s, room, text}}; {@code quotedRoom} is JSON. */
  public static String message(long micros, int step, String quotedRoom, String text) {
    return new StringBuilder(text.length() + quotedRoom.length() + 48)
        .append("{\"t\":").append(micros).append(",\"s\":").append(step)
        .append(",\"room\":").append(quotedRoom)
        .append(",\"text\":\"").append(text).append("\"}")
        .toString();
  }

  /** The argument of {@code dm}: {@code {t, s, to, text}}; {@code quotedTo} is JSON. */
  public static String dm(long micros, int step, String quotedTo, String text) {
    return new StringBuilder(text.length() + quotedTo.length() + 48)
        .append("{\"t\":").append(micros).append(",\"s\":").append(step)
        .append(",\"to\":").append(quotedTo)
        .append(",\"text\":\"").append(text).append("\"}")
        .toString();
  }

  /**
   * The text of a chat message of {@code bytes} ASCII bytes that starts with the send timestamp
   * and step, {@code t=<micros> s=<step> xxx…}: the chat server's events echo the text, so a
   * receiver finds both there ({@link PayloadScanner#TEXT_TIMESTAMP}).
   */
  public static String chatText(long micros, int step, int bytes) {
    StringBuilder text = new StringBuilder(bytes + 8).append("t=").append(micros).append(" s=").append(step).append(' ');
    while (text.length() < bytes) {
      text.append('x');
    }
    return text.toString();
  }

  /** The argument of {@code message:send}: {@code {roomId, text, clientMsgId}}; ids are JSON. */
  public static String chatSend(String quotedRoomId, String text, String quotedClientMsgId) {
    return new StringBuilder(text.length() + quotedRoomId.length() + quotedClientMsgId.length() + 40)
        .append("{\"roomId\":").append(quotedRoomId)
        .append(",\"text\":\"").append(text)
        .append("\",\"clientMsgId\":").append(quotedClientMsgId).append('}')
        .toString();
  }
}
