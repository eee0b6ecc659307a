package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads what the generator needs from a received event without decoding it: whether it is a
 * given event, and the integer fields that carry the send timestamp and the ramp step.
 *
 * <p>Works on the frame's bytes in place (no {@code String}, no JSON tree) because a fan-out
 * receiver handles hundreds of thousands of events a second on one core, and the generator must
 * stay far cheaper than the server it measures. Only fields written by {@link Payloads} are read,
 * so a plain byte search is enough: their keys never occur inside the values.
 */
public final class PayloadScanner {
  /** Field holding the sender's {@link MicroClock} timestamp. */
  public static final byte[] TIMESTAMP = key("t");
  /** Field holding the ramp step the message was sent in. */
  public static final byte[] STEP = key("s");

  /**
   * Where the chat scenarios' message text carries the send timestamp: the text starts with
   * {@code t=<micros> s=<step> } (see {@link Payloads#chatText}), and the chat server's
   * {@code message} events echo the text.
   */
  public static final byte[] TEXT_TIMESTAMP = "\"text\":\"t=".getBytes(StandardCharsets.UTF_8);
  /** The ramp step in the same text. */
  public static final byte[] TEXT_STEP = " s=".getBytes(StandardCharsets.UTF_8);

  /** Returned by {@link #longField} when the field is absent or not an integer. */
  public static final long ABSENT = Long.MIN_VALUE;

  private PayloadScanner() {}

  /** The prefix of an event packet named {@code name} without ack id: {@code 42["name",}. */
  public static byte[] eventPrefix(String name) {
    return eventPrefix("/", name);
  }

  /** The same in {@code namespace}: {@code 42/nsp,["name",} ({@code 42["name",} for {@code /}). */
  public static byte[] eventPrefix(String namespace, String name) {
    String nsp = namespace.equals("/") ? "" : namespace + ",";
    return ("42" + nsp + "[" + Json.quote(name) + ",").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The id of an acknowledgement packet that starts with {@code prefix} ({@code 43} or
   * {@code 43/nsp,}) followed by the id and {@code [}; -1 when the frame is not one.
   */
  public static long ackId(ByteBuf frame, byte[] prefix) {
    if (!startsWith(frame, prefix)) {
      return -1;
    }
    int i = frame.readerIndex() + prefix.length;
    int end = frame.writerIndex();
    long id = 0;
    int digits = 0;
    while (i < end && digits < 18) {
      byte b = frame.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      id = id * 10 + (b - '0');
      digits++;
      i++;
    }
    return digits > 0 && i < end && frame.getByte(i) == '[' ? id : -1;
  }

  /**
   * The last argument of an event when it is a plain string ({@code ...,"abc"]}): where a server
   * with connection-state recovery puts the packet's offset. Null when the last argument is not
   * a string, or holds an escape (offsets never do).
   */
  public static String trailingString(ByteBuf frame) {
    int start = frame.readerIndex();
    int last = frame.writerIndex() - 1;
    if (last - start < 3 || frame.getByte(last) != ']' || frame.getByte(last - 1) != '"') {
      return null;
    }
    int close = last - 1;
    for (int i = close - 1; i > start; i--) {
      byte b = frame.getByte(i);
      if (b == '"') {
        return frame.getByte(i - 1) == ',' ? frame.toString(i + 1, close - i - 1, StandardCharsets.UTF_8) : null;
      }
      if (b == '\\') {
        return null;
      }
    }
    return null;
  }

  /**
   * The value of the first string field with key {@code key} (as made by {@link #key}), or null
   * when absent, not a string, or holding an escape.
   */
  public static String stringField(ByteBuf frame, byte[] key) {
    int at = indexOf(frame, key);
    if (at < 0) {
      return null;
    }
    int open = at + key.length;
    int end = frame.writerIndex();
    if (open >= end || frame.getByte(open) != '"') {
      return null;
    }
    for (int i = open + 1; i < end; i++) {
      byte b = frame.getByte(i);
      if (b == '"') {
        return frame.toString(open + 1, i - open - 1, StandardCharsets.UTF_8);
      }
      if (b == '\\') {
        return null;
      }
    }
    return null;
  }

  /** Whether {@code needle} occurs in the frame. */
  public static boolean contains(ByteBuf frame, byte[] needle) {
    return indexOf(frame, needle) >= 0;
  }

  /** How many times {@code needle} occurs in the frame (the messages of a history page, say). */
  public static int count(ByteBuf frame, byte[] needle) {
    int n = 0;
    int i = frame.readerIndex();
    int end = frame.writerIndex();
    while (i < end) {
      int at = indexOf(frame, needle, i);
      if (at < 0) {
        break;
      }
      n++;
      i = at + needle.length;
    }
    return n;
  }

  /** Whether the readable bytes of {@code frame} start with {@code prefix}. */
  public static boolean startsWith(ByteBuf frame, byte[] prefix) {
    int start = frame.readerIndex();
    if (frame.readableBytes() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (frame.getByte(start + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The integer value of the first field with key {@code key} (as made by {@link #key}), or
   * {@link #ABSENT}. Does not move the reader index.
   */
  public static long longField(ByteBuf frame, byte[] key) {
    return longAt(frame, indexOf(frame, key), key);
  }

  private static long longAt(ByteBuf frame, int at, byte[] key) {
    if (at < 0) {
      return ABSENT;
    }
    int i = at + key.length;
    int end = frame.writerIndex();
    boolean negative = i < end && frame.getByte(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int digits = 0;
    while (i < end && digits < 19) {
      byte b = frame.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
      digits++;
      i++;
    }
    if (digits == 0) {
      return ABSENT;
    }
    return negative ? -value : value;
  }

  /** The bytes {@code "name":} that precede a field's value in compact JSON. */
  public static byte[] key(String name) {
    return (Json.quote(name) + ":").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Where {@code needle} first occurs. Jumps from one occurrence of its first byte to the next
   * with {@link ByteBuf#indexOf}, which scans several bytes at a time: keys start with a quote,
   * and a payload has few quotes before its first fields.
   */
  private static int indexOf(ByteBuf frame, byte[] needle) {
    return indexOf(frame, needle, frame.readerIndex());
  }

  private static int indexOf(ByteBuf frame, byte[] needle, int from) {
    int end = frame.writerIndex() - needle.length + 1;
    int i = from;
    while (i < end) {
      int at = frame.indexOf(i, end, needle[0]);
      if (at < 0) {
        return -1;
      }
      if (matchesAt(frame, at, needle)) {
        return at;
      }
      i = at + 1;
    }
    return -1;
  }

  private static boolean matchesAt(ByteBuf frame, int at, byte[] needle) {
    for (int j = 1; j < needle.length; j++) {
      if (frame.getByte(at + j) != needle[j]) {
        return false;
      }
    }
    return true;
  }
}
