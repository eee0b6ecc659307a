package dev.parley.socketio;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes outgoing Socket.IO packets in one pass. Arguments are serialized with the server's
 * Jackson mapper; every {@code byte[]}, {@link ByteBuffer} or binary JSON node among them, at any
 * depth, becomes a {@code {"_placeholder":true,"num":n}} and an attachment, which turns the
 * packet into a BINARY_EVENT / BINARY_ACK. Thread-safe.
 */
final class SioEncoder {
  private final ObjectWriter writer;
  private final JsonFactory factory;
  private final ByteBufAllocator alloc;

  SioEncoder(ObjectMapper mapper, ByteBufAllocator alloc) {
    this.writer = mapper.writer().without(com.fasterxml.jackson.databind.SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    this.factory = mapper.getFactory();
    this.alloc = alloc;
  }

  /** An EVENT (or BINARY_EVENT): {@code [event, args..., extra?]}. {@code ackId} -1 for none. */
  EncodedPacket event(String nsp, String event, List<?> args, long ackId, String offset) {
    Object[] array = new Object[1 + args.size() + (offset != null ? 1 : 0)];
    array[0] = event;
    for (int i = 0; i < args.size(); i++) {
      array[i + 1] = toWritable(args.get(i));
    }
    if (offset != null) {
      array[array.length - 1] = offset;
    }
    return encode(SioPacket.EVENT, nsp, ackId, array);
  }

  /** An ACK (or BINARY_ACK) for {@code ackId}. */
  EncodedPacket ack(String nsp, long ackId, List<?> args) {
    Object[] array = new Object[args.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = toWritable(args.get(i));
    }
    return encode(SioPacket.ACK, nsp, ackId, array);
  }

  /** A CONNECT, CONNECT_ERROR or DISCONNECT packet with an optional JSON payload. */
  EncodedPacket control(int type, String nsp, Object payload) {
    return encode(type, nsp, -1, payload);
  }

  private static Object toWritable(Object arg) {
    if (arg instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    if (arg instanceof ByteBuf buf) {
      return ByteBufUtil.getBytes(buf);
    }
    return arg;
  }

  private EncodedPacket encode(int type, String nsp, long ackId, Object payload) {
    List<byte[]> attachments = new ArrayList<>(0);
    ByteBuf json = alloc.buffer(128);
    try {
      if (payload != null) {
        try (JsonGenerator gen = new PlaceholderGenerator(
            factory.createGenerator((java.io.OutputStream) new ByteBufOutputStream(json), JsonEncoding.UTF8), attachments)) {
          writer.writeValue(gen, payload);
        }
      }
      int binaryType = type == SioPacket.EVENT ? SioPacket.BINARY_EVENT : type == SioPacket.ACK ? SioPacket.BINARY_ACK : type;
      StringBuilder header = new StringBuilder(16);
      header.append(EnginePackets.MESSAGE);
      if (!attachments.isEmpty()) {
        header.append(binaryType).append(attachments.size()).append('-');
      } else {
        header.append(type);
      }
      if (!"/".equals(nsp)) {
        header.append(nsp).append(',');
      }
      if (ackId >= 0) {
        header.append(ackId);
      }
      int length = ByteBufUtil.utf8Bytes(header) + json.readableBytes();
      int frameHeader = EncodedPacket.headerLength(length);
      ByteBuf out = alloc.buffer(frameHeader + length);
      EncodedPacket.writeTextHeader(out, length);
      ByteBufUtil.writeUtf8(out, header);
      out.writeBytes(json);
      return EncodedPacket.framed(out, frameHeader, attachments);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize event arguments", e);
    } finally {
      json.release();
    }
  }

  /** Writes binary values as placeholders and collects them as attachments. */
  private static final class PlaceholderGenerator extends JsonGeneratorDelegate {
    private final List<byte[]> attachments;

    PlaceholderGenerator(JsonGenerator delegate, List<byte[]> attachments) {
      super(delegate, false);
      this.attachments = attachments;
    }

    private void placeholder(byte[] data) throws IOException {
      delegate.writeStartObject();
      delegate.writeBooleanField("_placeholder", true);
      delegate.writeNumberField("num", attachments.size());
      delegate.writeEndObject();
      attachments.add(data);
    }

    @Override
    public void writeBinary(Base64Variant b64variant, byte[] data, int offset, int len) throws IOException {
      placeholder(java.util.Arrays.copyOfRange(data, offset, offset + len));
    }

    @Override
    public void writeBinary(byte[] data, int offset, int len) throws IOException {
      placeholder(java.util.Arrays.copyOfRange(data, offset, offset + len));
    }

    @Override
    public void writeBinary(byte[] data) throws IOException {
      placeholder(data.clone());
    }

    @Override
    public int writeBinary(Base64Variant b64variant, InputStream data, int dataLength) throws IOException {
      byte[] bytes = dataLength < 0 ? data.readAllBytes() : data.readNBytes(dataLength);
      placeholder(bytes);
      return bytes.length;
    }

    @Override
    public int writeBinary(InputStream data, int dataLength) throws IOException {
      return writeBinary(null, data, dataLength);
    }
  }
}
