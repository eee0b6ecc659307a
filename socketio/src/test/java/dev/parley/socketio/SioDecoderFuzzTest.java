package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds arbitrary text to {@link SioDecoder#decode} and, for binary packets, arbitrary
 * placeholders to {@link SioDecoder#reconstruct}. Only {@link ProtocolException} may come out;
 * anything that decodes must re-encode with {@link SioEncoder} to a packet that decodes the same.
 *
 * <p>The normal build runs the inputs under {@code SioDecoderFuzzTestInputs/} as regression tests,
 * then fuzzes for a bounded time in a separate Surefire execution (see {@code socketio/pom.xml}).
 *
 * <p>The class timeout bounds each seed, the whole fuzzing run (so it must exceed
 * {@code maxDuration}) and, in Jazzer's hands, each fuzzed input (libFuzzer's {@code -timeout}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SioDecoderFuzzTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final SioDecoder decoder = new SioDecoder(MAPPER, Client.MAX_ATTACHMENTS);
  private final SioEncoder encoder = new SioEncoder(MAPPER, UnpooledByteBufAllocator.DEFAULT);

  @FuzzTest(maxDuration = "15s")
  void decodeAndReconstruct(byte[] input) throws Exception {
    SioPacket packet;
    try {
      packet = decoder.decode(new String(input, StandardCharsets.UTF_8));
    } catch (ProtocolException expected) {
      return;
    }
    assertWellFormed(packet);
    JsonNode data = packet.data();
    if (packet.attachments() > 0) {
      try {
        data = SioDecoder.reconstruct(data.deepCopy(), attachments(packet.attachments()));
      } catch (ProtocolException expected) {
        return;
      }
    }
    assertReencodesToTheSamePacket(packet, data);
  }

  private static void assertWellFormed(SioPacket packet) {
    assertThat(packet.type()).isBetween(SioPacket.CONNECT, SioPacket.BINARY_ACK);
    assertThat(packet.nsp()).startsWith("/");
    assertThat(packet.id()).isGreaterThanOrEqualTo(-1);
    boolean binary = packet.type() == SioPacket.BINARY_EVENT || packet.type() == SioPacket.BINARY_ACK;
    if (binary) {
      assertThat(packet.attachments()).isBetween(1, Client.MAX_ATTACHMENTS);
    } else {
      assertThat(packet.attachments()).isZero();
    }
    switch (packet.type()) {
      case SioPacket.EVENT, SioPacket.BINARY_EVENT -> {
        // Socket.onEvent reads the name without further checks.
        assertThat(packet.data().isArray()).isTrue();
        assertThat(packet.data().get(0).isTextual() || packet.data().get(0).isNumber()).isTrue();
      }
      case SioPacket.ACK, SioPacket.BINARY_ACK -> assertThat(packet.data().isArray()).isTrue();
      case SioPacket.DISCONNECT -> assertThat(packet.data()).isNull();
      default -> { }
    }
  }

  /** Attachment i is {@code i+1} bytes of value i, so that a misplaced one shows. */
  private static List<byte[]> attachments(int count) {
    List<byte[]> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] bytes = new byte[i + 1];
      java.util.Arrays.fill(bytes, (byte) i);
      list.add(bytes);
    }
    return list;
  }

  private void assertReencodesToTheSamePacket(SioPacket packet, JsonNode data) throws Exception {
    if (data != null && hasNonFiniteNumber(data)) {
      return; // JSON has no Infinity: 1e999 parses as one, but cannot be written back as a number.
    }
    EncodedPacket encoded = reencode(packet, data);
    if (encoded == null) {
      return;
    }
    try {
      if (encoded.attachments.size() > Client.MAX_ATTACHMENTS) {
        // A client may name one attachment many times; written back, each use is an attachment
        // of its own, more than a client may send: the decoder's limit, not an encoding fault.
        return;
      }
      SioPacket again = decoder.decode(encoded.socketIoText());
      JsonNode againData = again.attachments() > 0
          ? SioDecoder.reconstruct(again.data(), encoded.attachments) : again.data();
      int plainType = packet.type() == SioPacket.BINARY_EVENT ? SioPacket.EVENT
          : packet.type() == SioPacket.BINARY_ACK ? SioPacket.ACK : packet.type();
      assertThat(againData).as("data of %s", encoded.socketIoText()).isEqualTo(data);
      assertThat(again.nsp()).isEqualTo(packet.nsp());
      assertThat(again.type()).isIn(plainType, plainType + 3);
      assertThat(again.attachments()).isEqualTo(encoded.attachments.size());
    } finally {
      encoded.release();
    }
  }

  /** The packet as the server would send it, or null where the encoder has no such form. */
  private EncodedPacket reencode(SioPacket packet, JsonNode data) {
    switch (packet.type()) {
      case SioPacket.EVENT, SioPacket.BINARY_EVENT -> {
        if (!data.get(0).isTextual()) {
          return null; // the server only sends named events
        }
        List<JsonNode> args = new ArrayList<>();
        data.forEach(args::add);
        return encoder.event(packet.nsp(), args.remove(0).textValue(), args, packet.id(), null);
      }
      case SioPacket.ACK, SioPacket.BINARY_ACK -> {
        List<JsonNode> args = new ArrayList<>();
        ((ArrayNode) data).forEach(args::add);
        return encoder.ack(packet.nsp(), packet.id(), args);
      }
      default -> {
        if (packet.hasId()) {
          return null; // control packets carry no ack id
        }
        return encoder.control(packet.type(), packet.nsp(), data);
      }
    }
  }

  private static boolean hasNonFiniteNumber(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      return !Double.isFinite(node.doubleValue());
    }
    for (JsonNode child : node) {
      if (hasNonFiniteNumber(child)) {
        return true;
      }
    }
    return false;
  }
}
