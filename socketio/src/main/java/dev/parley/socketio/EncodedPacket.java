package dev.parley.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Socket.IO packet encoded once, ready to be written to any number of connections. One buffer
 * holds a complete server-to-client WebSocket text frame: the frame header, then the Engine.IO
 * message (type {@code 4} and the Socket.IO text), which {@link #text} views. A WebSocket client
 * gets the whole frame past the WebSocket encoder (see {@link EngineSession#sendFramed}: small
 * frames are copied into the client's batch, large ones written as retained duplicates), so a
 * broadcast frames its message once, not once per recipient; a polling client gets the text.
 * Binary attachments follow as frames of their own. Reference-counted through the frame buffer.
 */
final class EncodedPacket {
  private final ByteBuf frame;
  /** The Engine.IO message inside {@link #frame}; shares its reference count. */
  final ByteBuf text;
  final List<byte[]> attachments;
  /**
   * The place of a recorded packet among its namespace's recorded packets (1, 2, …), set before
   * it is queued; 0 for a packet not recorded. A restored socket skips the recorded packets it
   * was given back already.
   */
  long order;

  private EncodedPacket(ByteBuf frame, int headerLength, List<byte[]> attachments) {
    this.frame = frame;
    this.text = frame.slice(frame.readerIndex() + headerLength, frame.readableBytes() - headerLength);
    this.attachments = List.copyOf(attachments);
  }

  /** Bytes of the header of an unmasked WebSocket frame with a payload of {@code length}. */
  static int headerLength(int length) {
    return length < 126 ? 2 : length < 65_536 ? 4 : 10;
  }

  /** Writes the header of an unmasked, final text frame with a payload of {@code length}. */
  static void writeTextHeader(ByteBuf out, int length) {
    out.writeByte(0x81);
    if (length < 126) {
      out.writeByte(length);
    } else if (length < 65_536) {
      out.writeByte(126);
      out.writeShort(length);
    } else {
      out.writeByte(127);
      out.writeLong(length);
    }
  }

  /** A packet whose buffer {@code frame} starts with a text frame header of {@code headerLength}. */
  static EncodedPacket framed(ByteBuf frame, int headerLength, List<byte[]> attachments) {
    return new EncodedPacket(frame, headerLength, attachments);
  }

  /** A packet of the Engine.IO message {@code message} (copied). */
  static EncodedPacket of(ByteBufAllocator alloc, ByteBuf message, List<byte[]> attachments) {
    int length = message.readableBytes();
    int header = headerLength(length);
    ByteBuf frame = alloc.buffer(header + length);
    writeTextHeader(frame, length);
    frame.writeBytes(message, message.readerIndex(), length);
    return new EncodedPacket(frame, header, attachments);
  }

  /** Queues this packet on {@code session}; the packet stays owned by the caller. */
  void writeTo(EngineSession session, boolean volatileFrame) {
    if (!session.loop.inEventLoop()) {
      // One hop for all frames, so that no other packet comes between a text and its attachments.
      retain();
      session.loop.execute(() -> {
        try {
          writeTo(session, volatileFrame);
        } finally {
          release();
        }
      });
      return;
    }
    if (!session.sendFramed(frame, text, volatileFrame)) {
      return;
    }
    for (byte[] attachment : attachments) {
      // The text went out: its attachments must follow, volatile or not.
      session.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(attachment)), false);
    }
  }

  /** The Socket.IO text without the Engine.IO message type. */
  String socketIoText() {
    return text.toString(text.readerIndex() + 1, text.readableBytes() - 1, StandardCharsets.UTF_8);
  }

  EncodedPacket retain() {
    frame.retain();
    return this;
  }

  void release() {
    frame.release();
  }
}
