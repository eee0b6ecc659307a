package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Engine.IO v4 packets and the long-polling payload: packets joined by {@code \x1e}, binary ones
 * as {@code b<base64>}. Payloads are those of the protocol specification and its test suite.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EnginePacketsTest {
  private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
  private final List<WebSocketFrame> frames = new ArrayList<>();

  @AfterEach
  void releaseFrames() {
    frames.forEach(WebSocketFrame::release);
  }

  private static List<EnginePackets.Inbound> decode(String body) throws ProtocolException {
    ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    try {
      return EnginePackets.decodePayload(buf);
    } finally {
      buf.release();
    }
  }

  private static EnginePackets.Inbound text(char type, String data) {
    return new EnginePackets.Inbound(type, data, null);
  }

  private TextWebSocketFrame textFrame(char type, String data) {
    TextWebSocketFrame frame = EnginePackets.text(ALLOC, type, data);
    frames.add(frame);
    return frame;
  }

  private BinaryWebSocketFrame binaryFrame(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return binaryFrame(bytes);
  }

  private BinaryWebSocketFrame binaryFrame(byte[] bytes) {
    BinaryWebSocketFrame frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes));
    frames.add(frame);
    return frame;
  }

  private static String encode(List<WebSocketFrame> frames) {
    ByteBuf payload = EnginePackets.encodePayload(ALLOC, frames);
    try {
      return payload.toString(StandardCharsets.UTF_8);
    } finally {
      payload.release();
    }
  }

  @Test
  void onePlainTextPacket() throws Exception {
    assertThat(decode("4hello")).containsExactly(text('4', "hello"));
  }

  @Test
  void severalPlainTextPackets() throws Exception {
    assertThat(decode("4test1\u001e4test2\u001e4test3"))
        .containsExactly(text('4', "test1"), text('4', "test2"), text('4', "test3"));
  }

  @Test
  void plainTextAndBinaryPackets() throws Exception {
    List<EnginePackets.Inbound> packets = decode("4hello\u001ebAQIDBA==");

    assertThat(packets).hasSize(2);
    assertThat(packets.get(0)).isEqualTo(text('4', "hello"));
    assertThat(packets.get(1).isBinary()).isTrue();
    assertThat(packets.get(1).type()).isEqualTo(EnginePackets.MESSAGE);
    assertThat(packets.get(1).binary()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void base64WithoutPadding() throws Exception {
    assertThat(decode("bAQID").get(0).binary()).containsExactly(1, 2, 3);
  }

  @Test
  void emptyBinaryPacket() throws Exception {
    assertThat(decode("b").get(0).binary()).isEmpty();
  }

  @Test
  void everyPacketType() throws Exception {
    assertThat(decode("0\u001e1\u001e2probe\u001e3\u001e4\u001e5\u001e6")).containsExactly(
        text('0', ""), text('1', ""), text('2', "probe"), text('3', ""), text('4', ""), text('5', ""), text('6', ""));
  }

  @Test
  void multiByteUtf8() throws Exception {
    assertThat(decode("4héllo ✓ 😀\u001e4€")).containsExactly(text('4', "héllo ✓ 😀"), text('4', "€"));
  }

  @Test
  void socketIoPacketInsideAMessage() throws Exception {
    assertThat(decode("42[\"message\",\"a\\u001eb\"]")).containsExactly(text('4', "2[\"message\",\"a\\u001eb\"]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "7", "9hello", "\u001e", "4a\u001e", "\u001e4a", "4a\u001e\u001e4b", "4a\u001eX",
      " 4a", "B" + "AQID"})
  void invalidPacketOrEmptyPart(String body) {
    assertThatThrownBy(() -> decode(body)).as("payload %s", body).isInstanceOf(ProtocolException.class);
  }

  @Test
  void base64WrappedInLinesAsTheJavaClientSendsIt() throws Exception {
    assertThat(decode("4a\u001ebAQID\r\nBA==").get(1).binary()).containsExactly(1, 2, 3, 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bA", "bAQIDB", "bAQ=D", "b====", "4ok\u001ebAQ=DA=="})
  void invalidBase64(String body) {
    assertThatThrownBy(() -> decode(body)).as("payload %s", body).isInstanceOf(ProtocolException.class);
  }

  @Test
  void invalidUtf8IsReplacedNotRejected() throws Exception {
    ByteBuf body = Unpooled.wrappedBuffer(new byte[] {'4', (byte) 0xff, 'a'});

    assertThat(EnginePackets.decodePayload(body)).containsExactly(text('4', "\ufffda"));
  }

  @Test
  void ofTextRefusesUnknownTypes() {
    assertThatThrownBy(() -> EnginePackets.Inbound.ofText("/a")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> EnginePackets.Inbound.ofText("7")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> EnginePackets.Inbound.ofText("")).isInstanceOf(ProtocolException.class);
  }

  @Test
  void encodesOneTextPacketWithoutSeparator() {
    assertThat(encode(List.of(textFrame('4', "hello")))).isEqualTo("4hello");
  }

  @Test
  void encodesSeveralPacketsWithSeparators() {
    String payload = encode(List.of(textFrame('4', "test1"), textFrame('4', "test2"), EnginePackets.ping()));

    assertThat(payload).isEqualTo("4test1\u001e4test2\u001e2");
  }

  @Test
  void encodesBinaryPacketsAsBase64() {
    String payload = encode(List.of(textFrame('4', "hello"), binaryFrame(1, 2, 3, 4), binaryFrame()));

    assertThat(payload).isEqualTo("4hello\u001ebAQIDBA==\u001eb");
  }

  @Test
  void encodesNothingAsAnEmptyPayload() {
    assertThat(encode(List.of())).isEmpty();
  }

  @Test
  void encodesOnlyTheReadableBytesAndLeavesFramesUntouched() {
    BinaryWebSocketFrame binary = binaryFrame(0, 1, 2, 3);
    binary.content().skipBytes(1);
    TextWebSocketFrame textFrame = textFrame('4', "xhello");
    TextWebSocketFrame text = new TextWebSocketFrame(textFrame.content().duplicate().skipBytes(1));
    text.content().setByte(text.content().readerIndex(), '4');

    assertThat(encode(List.of(text, binary))).isEqualTo("4hello\u001ebAQID");
    assertThat(binary.refCnt()).isEqualTo(1);
    assertThat(binary.content().readerIndex()).isEqualTo(1);
    assertThat(text.content().readerIndex()).isEqualTo(1);
  }

  @Test
  void constantPacketsCanBeWrittenAnyNumberOfTimes() {
    for (int i = 0; i < 3; i++) {
      assertThat(encode(List.of(EnginePackets.noop(), EnginePackets.close(), EnginePackets.probeAnswer())))
          .isEqualTo("6\u001e1\u001e3probe");
      EnginePackets.ping().release();
    }
  }

  @Test
  void textHelperWritesTheTypeAndUtf8Data() {
    TextWebSocketFrame frame = textFrame('0', "{\"sid\":\"é\"}");

    assertThat(frame.text()).isEqualTo("0{\"sid\":\"é\"}");
  }

  @Test
  void payloadRoundTrip() throws Exception {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    String payload = encode(List.of(textFrame('4', "2[\"héllo\"]"), binaryFrame(bytes), textFrame('3', ""),
        binaryFrame(7)));

    List<EnginePackets.Inbound> packets = decode(payload);

    assertThat(packets).hasSize(4);
    assertThat(packets.get(0)).isEqualTo(text('4', "2[\"héllo\"]"));
    assertThat(packets.get(1).binary()).isEqualTo(bytes);
    assertThat(packets.get(2)).isEqualTo(text('3', ""));
    assertThat(packets.get(3).binary()).containsExactly(7);
  }
}
