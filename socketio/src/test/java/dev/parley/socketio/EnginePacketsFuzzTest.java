package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds arbitrary long-polling bodies to {@link EnginePackets#decodePayload}. Only
 * {@link ProtocolException} may come out, and whatever decodes must encode with
 * {@link EnginePackets#encodePayload} to a payload that decodes to the same packets.
 *
 * <p>The normal build runs the inputs under {@code EnginePacketsFuzzTestInputs/} as regression
 * tests, then fuzzes for a bounded time in a separate Surefire execution (see
 * {@code socketio/pom.xml}).
 *
 * <p>The class timeout bounds each seed, the whole fuzzing run (so it must exceed
 * {@code maxDuration}) and, in Jazzer's hands, each fuzzed input (libFuzzer's {@code -timeout}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EnginePacketsFuzzTest {
  // The payload grammar is small: coverage is complete within the seeds, 10 s is plenty.
  @FuzzTest(maxDuration = "10s")
  void decodePayload(byte[] body) throws Exception {
    List<EnginePackets.Inbound> packets;
    ByteBuf buf = Unpooled.wrappedBuffer(body);
    try {
      packets = EnginePackets.decodePayload(buf);
    } catch (ProtocolException expected) {
      return;
    }
    assertThat(buf.readerIndex()).as("the body is not consumed").isZero();
    assertThat(packets).isNotEmpty();

    List<WebSocketFrame> frames = new ArrayList<>();
    for (EnginePackets.Inbound packet : packets) {
      assertThat(packet.type()).isBetween(EnginePackets.OPEN, EnginePackets.NOOP);
      frames.add(packet.isBinary()
          ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(packet.binary()))
          : EnginePackets.text(UnpooledByteBufAllocator.DEFAULT, packet.type(), packet.data()));
    }
    ByteBuf encoded = EnginePackets.encodePayload(UnpooledByteBufAllocator.DEFAULT, frames);
    try {
      List<EnginePackets.Inbound> again = EnginePackets.decodePayload(encoded);
      assertThat(again).hasSameSizeAs(packets);
      for (int i = 0; i < packets.size(); i++) {
        assertThat(again.get(i).type()).isEqualTo(packets.get(i).type());
        assertThat(again.get(i).data()).isEqualTo(packets.get(i).data());
        assertThat(again.get(i).binary()).isEqualTo(packets.get(i).binary());
      }
    } finally {
      encoded.release();
      frames.forEach(WebSocketFrame::release);
    }
  }
}
