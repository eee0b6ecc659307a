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

  /** Returned by {@link #longField} when the field is absent or not an integer. */
  public static final long ABSENT = Long.MIN_VALUE;

  private PayloadScanner() {}

  /** The prefix of an event packet named {@code name} without ack id: {@code 42["name",}. */
  public static byte[] eventPrefix(String name) {
    return ("42[" + Json.quote(name) + ",").getBytes(StandardCharsets.UTF_8);
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
    int at = indexOf(frame, key);
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
    int end = frame.writerIndex() - needle.length + 1;
    int i = frame.readerIndex();
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
