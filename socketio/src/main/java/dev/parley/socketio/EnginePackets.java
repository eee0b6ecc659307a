package dev.parley.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.base64.Base64;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Engine.IO v4 packets. Outbound packets are kept as WebSocket frames: a text frame holds the
 * packet type character and its data in UTF-8, a binary frame holds a binary message's bytes.
 * Long-polling joins them into one payload, separated by {@code \x1e}, binary ones as
 * {@code b<base64>}.
 */
final class EnginePackets {
  static final char OPEN = '0';
  static final char CLOSE = '1';
  static final char PING = '2';
  static final char PONG = '3';
  static final char MESSAGE = '4';
  static final char UPGRADE = '5';
  static final char NOOP = '6';

  static final byte SEPARATOR = 0x1e;

  private static final ByteBuf PING_BYTES = constant("2");
  private static final ByteBuf NOOP_BYTES = constant("6");
  private static final ByteBuf CLOSE_BYTES = constant("1");
  private static final ByteBuf PROBE_BYTES = constant("3probe");

  private EnginePackets() {}

  private static ByteBuf constant(String text) {
    return Unpooled.unreleasableBuffer(
        Unpooled.directBuffer(text.length()).writeBytes(text.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
  }

  static TextWebSocketFrame ping() {
    return new TextWebSocketFrame(PING_BYTES.duplicate());
  }

  static TextWebSocketFrame noop() {
    return new TextWebSocketFrame(NOOP_BYTES.duplicate());
  }

  static TextWebSocketFrame close() {
    return new TextWebSocketFrame(CLOSE_BYTES.duplicate());
  }

  static TextWebSocketFrame probeAnswer() {
    return new TextWebSocketFrame(PROBE_BYTES.duplicate());
  }

  /** A text packet: {@code type} followed by {@code data}. */
  static TextWebSocketFrame text(ByteBufAllocator alloc, char type, String data) {
    ByteBuf buf = alloc.buffer(1 + ByteBufUtil.utf8MaxBytes(data));
    buf.writeByte(type);
    ByteBufUtil.writeUtf8(buf, data);
    return new TextWebSocketFrame(buf);
  }

  /** Joins {@code frames} into one long-polling payload. Does not release them. */
  static ByteBuf encodePayload(ByteBufAllocator alloc, List<WebSocketFrame> frames) {
    int size = 0;
    for (WebSocketFrame frame : frames) {
      int n = frame.content().readableBytes();
      size += 1 + (frame instanceof BinaryWebSocketFrame ? 1 + (n + 2) / 3 * 4 : n);
    }
    ByteBuf out = alloc.buffer(size);
    boolean first = true;
    for (WebSocketFrame frame : frames) {
      if (!first) {
        out.writeByte(SEPARATOR);
      }
      first = false;
      if (frame instanceof BinaryWebSocketFrame) {
        out.writeByte('b');
        ByteBuf encoded = Base64.encode(frame.content(), frame.content().readerIndex(),
            frame.content().readableBytes(), false);
        try {
          out.writeBytes(encoded);
        } finally {
          encoded.release();
        }
      } else {
        out.writeBytes(frame.content(), frame.content().readerIndex(), frame.content().readableBytes());
      }
    }
    return out;
  }

  /** A packet received from a client. {@code binary} is set only for binary messages. */
  record Inbound(char type, String data, byte[] binary) {
    static Inbound ofText(String packet) throws ProtocolException {
      if (packet.isEmpty()) {
        throw new ProtocolException("empty packet");
      }
      char type = packet.charAt(0);
      if (type < OPEN || type > NOOP) {
        throw new ProtocolException("unknown packet type '" + type + "'");
      }
      return new Inbound(type, packet.substring(1), null);
    }

    static Inbound ofBinary(byte[] bytes) {
      return new Inbound(MESSAGE, null, bytes);
    }

    boolean isBinary() {
      return binary != null;
    }
  }

  /** Splits a long-polling request body into packets. */
  static List<Inbound> decodePayload(ByteBuf body) throws ProtocolException {
    String text = body.toString(StandardCharsets.UTF_8);
    List<Inbound> packets = new java.util.ArrayList<>();
    int start = 0;
    while (true) {
      int end = text.indexOf(SEPARATOR, start);
      String part = end < 0 ? text.substring(start) : text.substring(start, end);
      if (!part.isEmpty() && part.charAt(0) == 'b') {
        try {
          // Lenient like Node.js's Buffer.from(data, "base64"): the official Java client wraps its
          // base64 in lines of 76 characters, which a strict decoder refuses.
          packets.add(Inbound.ofBinary(java.util.Base64.getMimeDecoder().decode(part.substring(1))));
        } catch (IllegalArgumentException e) {
          throw new ProtocolException("invalid base64 in binary packet");
        }
      } else {
        packets.add(Inbound.ofText(part));
      }
      if (end < 0) {
        return packets;
      }
      start = end + 1;
    }
  }
}
