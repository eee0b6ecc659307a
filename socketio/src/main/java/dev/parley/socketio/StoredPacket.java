package dev.parley.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.List;

/**
 * An encoded Socket.IO packet kept for replay on recovery.
 *
 * @param text the Socket.IO packet text (as on the wire, without the Engine.IO type)
 * @param attachments its binary attachments, in order
 */
public record StoredPacket(String text, List<byte[]> attachments) {
  public StoredPacket {
    attachments = List.copyOf(attachments);
  }

  static StoredPacket of(EncodedPacket packet) {
    return new StoredPacket(packet.socketIoText(), packet.attachments);
  }

  EncodedPacket toEncoded() {
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(1 + ByteBufUtil.utf8MaxBytes(text));
    try {
      buf.writeByte(EnginePackets.MESSAGE);
      ByteBufUtil.writeUtf8(buf, text);
      return EncodedPacket.of(ByteBufAllocator.DEFAULT, buf, attachments);
    } finally {
      buf.release();
    }
  }
}
