package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Socket.IO v5 encoder: the exact text the reference encoder produces (the expected strings
 * come from the protocol specification and its test suite), binary values turned into
 * placeholders and attachments at any depth, and a round trip through {@link SioDecoder}.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SioEncoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final SioEncoder encoder = new SioEncoder(MAPPER, UnpooledByteBufAllocator.DEFAULT);
  private final SioDecoder decoder = new SioDecoder(MAPPER, Client.MAX_ATTACHMENTS);
  private final List<EncodedPacket> encoded = new ArrayList<>();

  @AfterEach
  void releasePackets() {
    for (EncodedPacket packet : encoded) {
      assertThat(packet.text.refCnt()).as("packet buffer still held once").isEqualTo(1);
      packet.release();
    }
  }

  private EncodedPacket keep(EncodedPacket packet) {
    encoded.add(packet);
    return packet;
  }

  private EncodedPacket event(String nsp, String event, List<?> args, long ackId, String offset) {
    return keep(encoder.event(nsp, event, args, ackId, offset));
  }

  private EncodedPacket ack(String nsp, long ackId, List<?> args) {
    return keep(encoder.ack(nsp, ackId, args));
  }

  private EncodedPacket control(int type, String nsp, Object payload) {
    return keep(encoder.control(type, nsp, payload));
  }

  /** The whole Engine.IO message, type included. */
  private static String wire(EncodedPacket packet) {
    return packet.text.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void eventInTheMainNamespace() {
    EncodedPacket packet = event("/", "message-back", List.of(1, "2", map("3", List.of(true))), -1, null);

    assertThat(wire(packet)).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
    assertThat(packet.socketIoText()).isEqualTo("2[\"message-back\",1,\"2\",{\"3\":[true]}]");
    assertThat(packet.attachments).isEmpty();
  }

  @Test
  void eventWithoutArguments() {
    assertThat(wire(event("/", "ping", List.of(), -1, null))).isEqualTo("42[\"ping\"]");
  }

  @Test
  void eventWithANullArgument() {
    assertThat(wire(event("/", "e", Arrays.asList("a", null), -1, null))).isEqualTo("42[\"e\",\"a\",null]");
  }

  @Test
  void eventInANamespace() {
    assertThat(wire(event("/admin", "hello", List.of("x"), -1, null))).isEqualTo("42/admin,[\"hello\",\"x\"]");
  }

  @Test
  void eventWithAnAckId() {
    assertThat(wire(event("/", "hello", List.of(), 12, null))).isEqualTo("4212[\"hello\"]");
    assertThat(wire(event("/admin", "hello", List.of(), 0, null))).isEqualTo("42/admin,0[\"hello\"]");
  }

  @Test
  void eventWithARecoveryOffsetAppended() {
    assertThat(wire(event("/", "msg", List.of("x", 2), -1, "k3j-1f")))
        .isEqualTo("42[\"msg\",\"x\",2,\"k3j-1f\"]");
  }

  @Test
  void eventWithRecordAndMapArguments() {
    record Message(String text, int seq) {}

    assertThat(wire(event("/", "message", List.of(new Message("hi", 7), map("roomId", "r1")), -1, null)))
        .isEqualTo("42[\"message\",{\"text\":\"hi\",\"seq\":7},{\"roomId\":\"r1\"}]");
  }

  @Test
  void eventWithJsonNodeArguments() throws Exception {
    JsonNode tree = MAPPER.readTree("{\"a\":[1,2,{\"b\":null}]}");

    assertThat(wire(event("/", "tree", List.of(tree), -1, null))).isEqualTo("42[\"tree\",{\"a\":[1,2,{\"b\":null}]}]");
  }

  @Test
  void nonAsciiTextIsUtf8() throws Exception {
    EncodedPacket packet = event("/chät", "héllo", List.of("✓"), -1, null);

    String text = wire(packet);
    assertThat(text).startsWith("42/chät,");
    assertThat(decoder.decode(packet.socketIoText()).data()).isEqualTo(MAPPER.readTree("[\"héllo\",\"✓\"]"));
  }

  @Test
  void ack() {
    assertThat(wire(ack("/", 456, List.of(1, "2", map("3", List.of(false)))))).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
  }

  @Test
  void emptyAckInANamespace() {
    assertThat(wire(ack("/admin", 456, List.of()))).isEqualTo("43/admin,456[]");
  }

  @Test
  void connectReply() {
    assertThat(wire(control(SioPacket.CONNECT, "/", map("sid", "oSO0OpakMV_3jnilAAAA"))))
        .isEqualTo("40{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}");
    assertThat(wire(control(SioPacket.CONNECT, "/admin", map("sid", "s", "pid", "p"))))
        .isEqualTo("40/admin,{\"sid\":\"s\",\"pid\":\"p\"}");
  }

  @Test
  void connectError() {
    assertThat(wire(control(SioPacket.CONNECT_ERROR, "/random", map("message", "Invalid namespace"))))
        .isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
    assertThat(wire(control(SioPacket.CONNECT_ERROR, "/", map("message", "refused", "data", map("code", 7)))))
        .isEqualTo("44{\"message\":\"refused\",\"data\":{\"code\":7}}");
  }

  @Test
  void disconnectWithoutPayload() {
    assertThat(wire(control(SioPacket.DISCONNECT, "/", null))).isEqualTo("41");
    assertThat(wire(control(SioPacket.DISCONNECT, "/admin", null))).isEqualTo("41/admin,");
  }

  @Test
  void byteArrayArgumentsBecomeABinaryEvent() {
    EncodedPacket packet = event("/", "message-back", List.of(new byte[] {1, 2, 3}, new byte[] {4, 5, 6}), -1, null);

    assertThat(wire(packet)).isEqualTo(
        "452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertThat(packet.attachments).containsExactly(new byte[] {1, 2, 3}, new byte[] {4, 5, 6});
  }

  @Test
  void binaryAckWithAnId() {
    EncodedPacket packet = ack("/", 789, List.of(new byte[] {1, 2, 3}, new byte[] {4, 5, 6}));

    assertThat(wire(packet)).isEqualTo("462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertThat(packet.attachments).hasSize(2);
  }

  @Test
  void binaryEventInANamespaceWithAnAckIdAndAnOffset() {
    EncodedPacket packet = event("/admin", "file", List.of(new byte[] {9}), 3, "e-1");

    assertThat(wire(packet)).isEqualTo("451-/admin,3[\"file\",{\"_placeholder\":true,\"num\":0},\"e-1\"]");
  }

  @Test
  void binaryAtAnyDepthInSerializationOrder() throws Exception {
    ObjectNode tree = MAPPER.createObjectNode();
    tree.set("thumb", BinaryNode.valueOf(new byte[] {5}));
    Map<String, Object> nested = map(
        "name", "a.png",
        "parts", List.of(map("bytes", new byte[] {1, 2}), List.of(List.of(ByteBuffer.wrap(new byte[] {3})))),
        "tree", tree);

    EncodedPacket packet = event("/", "upload", List.of(nested, new byte[] {4}), -1, null);

    assertThat(packet.socketIoText()).isEqualTo("54-[\"upload\",{\"name\":\"a.png\",\"parts\":["
        + "{\"bytes\":{\"_placeholder\":true,\"num\":0}},[[{\"_placeholder\":true,\"num\":1}]]],"
        + "\"tree\":{\"thumb\":{\"_placeholder\":true,\"num\":2}}},{\"_placeholder\":true,\"num\":3}]");
    assertThat(packet.attachments).containsExactly(new byte[] {1, 2}, new byte[] {3}, new byte[] {5}, new byte[] {4});
  }

  @Test
  void byteBuffersContributeOnlyTheirRemainingBytesAndAreNotConsumed() {
    ByteBuffer heap = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4}, 1, 3);
    ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {7, 8, 9, 10});
    direct.flip().position(2);
    ByteBuffer nestedDirect = ByteBuffer.allocateDirect(3).put(new byte[] {11, 12, 13});
    nestedDirect.flip().position(1);

    EncodedPacket packet = event("/", "b", List.of(heap, direct, List.of(nestedDirect)), -1, null);

    assertThat(packet.attachments)
        .containsExactly(new byte[] {1, 2, 3}, new byte[] {9, 10}, new byte[] {12, 13});
    assertThat(heap.position()).isEqualTo(1);
    assertThat(direct.position()).isEqualTo(2);
    assertThat(nestedDirect.position()).isEqualTo(1);
  }

  @Test
  void byteBufArgumentsAreCopiedAndLeftToTheCaller() {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4}).skipBytes(1);

    EncodedPacket packet = event("/", "b", List.of(buf), -1, null);

    assertThat(packet.attachments).containsExactly(new byte[] {2, 3, 4});
    assertThat(buf.refCnt()).isEqualTo(1);
    assertThat(buf.readerIndex()).isEqualTo(1);
    buf.release();
  }

  @Test
  void attachmentsAreCopiesOfTheCallersArrays() {
    byte[] bytes = {1, 2, 3};

    EncodedPacket packet = event("/", "b", List.of(bytes), -1, null);
    bytes[0] = 42;

    assertThat(packet.attachments.get(0)).containsExactly(1, 2, 3);
  }

  @Test
  void emptyByteArrayIsStillAnAttachment() {
    EncodedPacket packet = event("/", "b", List.of(new byte[0]), -1, null);

    assertThat(packet.socketIoText()).isEqualTo("51-[\"b\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(packet.attachments).containsExactly(new byte[0]);
  }

  @Test
  void binaryEventRoundTripsThroughTheDecoder() throws Exception {
    byte[] first = {1, 2, 3};
    byte[] second = new byte[300];
    Arrays.fill(second, (byte) 0x7f);
    EncodedPacket packet = event("/admin", "upload", List.of(map("a", first, "b", List.of(1, second)), "x"), 17, null);

    SioPacket decoded = decoder.decode(packet.socketIoText());
    JsonNode data = SioDecoder.reconstruct(decoded.data(), packet.attachments);

    assertThat(decoded.type()).isEqualTo(SioPacket.BINARY_EVENT);
    assertThat(decoded.nsp()).isEqualTo("/admin");
    assertThat(decoded.id()).isEqualTo(17);
    assertThat(decoded.attachments()).isEqualTo(2);
    assertThat(data.get(0).textValue()).isEqualTo("upload");
    assertThat(data.at("/1/a")).isEqualTo(BinaryNode.valueOf(first));
    assertThat(data.at("/1/b/1")).isEqualTo(BinaryNode.valueOf(second));
    assertThat(data.get(2).textValue()).isEqualTo("x");
  }

  @Test
  void everyPlainPacketRoundTripsThroughTheDecoder() throws Exception {
    assertRoundTrip(event("/", "a", List.of(1, "b"), -1, null), "2[\"a\",1,\"b\"]");
    assertRoundTrip(event("/x", "a", List.of(), 5, null), "2/x,5[\"a\"]");
    assertRoundTrip(ack("/x", 5, List.of(true)), "3/x,5[true]");
    assertRoundTrip(control(SioPacket.CONNECT, "/x", map("sid", "s")), "0/x,{\"sid\":\"s\"}");
    assertRoundTrip(control(SioPacket.CONNECT, "/", null), "0");
    assertRoundTrip(control(SioPacket.DISCONNECT, "/x", null), "1/x,");
    assertRoundTrip(control(SioPacket.CONNECT_ERROR, "/x", map("message", "no")), "4/x,{\"message\":\"no\"}");
  }

  private void assertRoundTrip(EncodedPacket packet, String sameAs) throws Exception {
    assertThat(decoder.decode(packet.socketIoText())).isEqualTo(decoder.decode(sameAs));
  }

  @Test
  void storedPacketKeepsTheTextAndAttachments() {
    EncodedPacket packet = event("/", "b", List.of(new byte[] {1}), -1, "o-1");

    StoredPacket stored = StoredPacket.of(packet);
    EncodedPacket replay = keep(stored.toEncoded());

    assertThat(stored.text()).isEqualTo("51-[\"b\",{\"_placeholder\":true,\"num\":0},\"o-1\"]");
    assertThat(wire(replay)).isEqualTo(wire(packet));
    assertThat(replay.attachments).containsExactly(new byte[] {1});
  }

  @Test
  void argumentThatCannotBeSerializedFailsWithoutLeaking() {
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    SioEncoder counting = new SioEncoder(MAPPER, alloc);

    assertThatThrownBy(() -> counting.event("/", "e", List.of("ok", new Object()), -1, null))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(alloc.metric().usedHeapMemory()).isZero();
  }
}
