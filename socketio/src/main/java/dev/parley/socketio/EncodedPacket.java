package dev.parley.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Socket.IO packet encoded once, ready to be written to any number of connections: the
 * Engine.IO message (type {@code 4} and the Socket.IO text) in one buffer, and its binary
 * attachments. Reference-counted through {@link #text}; writers take retained duplicates.
 */
final class EncodedPacket {
  final ByteBuf text;
  final List<byte[]> attachments;

  EncodedPacket(ByteBuf text, List<byte[]> attachments) {
    this.text = text;
    this.attachments = List.copyOf(attachments);
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
    session.send(new TextWebSocketFrame(text.retainedDuplicate()), volatileFrame);
    for (byte[] attachment : attachments) {
      session.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(attachment)), volatileFrame);
    }
  }

  /** The Socket.IO text without the Engine.IO message type. */
  String socketIoText() {
    return text.toString(text.readerIndex() + 1, text.readableBytes() - 1, StandardCharsets.UTF_8);
  }

  EncodedPacket retain() {
    text.retain();
    return this;
  }

  void release() {
    text.release();
  }
}
