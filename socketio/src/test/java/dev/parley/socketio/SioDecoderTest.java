package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Socket.IO v5 text parser. Valid packets are the examples of the protocol specification and
 * of the official test suite; invalid ones are those the reference parser (socket.io-parser 4.2)
 * refuses, plus the few it lets through that the server could not handle (an EVENT without a
 * name, an ACK without arguments).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SioDecoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final SioDecoder decoder = new SioDecoder(MAPPER, Client.MAX_ATTACHMENTS);

  private SioPacket decode(String text) throws ProtocolException {
    return decoder.decode(text);
  }

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  @Nested
  class ValidPackets {
    @Test
    void connectToTheMainNamespace() throws Exception {
      SioPacket packet = decode("0");

      assertThat(packet).isEqualTo(new SioPacket(SioPacket.CONNECT, "/", -1, null, 0));
      assertThat(packet.hasId()).isFalse();
    }

    @Test
    void connectWithAnAuthPayload() throws Exception {
      assertThat(decode("0{\"token\":\"123\"}"))
          .isEqualTo(new SioPacket(SioPacket.CONNECT, "/", -1, json("{\"token\":\"123\"}"), 0));
    }

    @Test
    void connectToANamespaceWithATrailingComma() throws Exception {
      assertThat(decode("0/admin,")).isEqualTo(new SioPacket(SioPacket.CONNECT, "/admin", -1, null, 0));
    }

    @Test
    void connectToANamespaceWithoutATrailingComma() throws Exception {
      assertThat(decode("0/admin")).isEqualTo(new SioPacket(SioPacket.CONNECT, "/admin", -1, null, 0));
    }

    @Test
    void connectToANamespaceWithAPayload() throws Exception {
      assertThat(decode("0/admin,{\"pid\":\"p\",\"offset\":\"o-1\"}"))
          .isEqualTo(new SioPacket(SioPacket.CONNECT, "/admin", -1, json("{\"pid\":\"p\",\"offset\":\"o-1\"}"), 0));
    }

    @Test
    void disconnect() throws Exception {
      assertThat(decode("1")).isEqualTo(new SioPacket(SioPacket.DISCONNECT, "/", -1, null, 0));
      assertThat(decode("1/admin,")).isEqualTo(new SioPacket(SioPacket.DISCONNECT, "/admin", -1, null, 0));
      assertThat(decode("1/admin")).isEqualTo(new SioPacket(SioPacket.DISCONNECT, "/admin", -1, null, 0));
    }

    @Test
    void event() throws Exception {
      assertThat(decode("2[\"message\",1,\"2\",{\"3\":[true]}]"))
          .isEqualTo(new SioPacket(SioPacket.EVENT, "/", -1, json("[\"message\",1,\"2\",{\"3\":[true]}]"), 0));
    }

    @Test
    void eventWithAnAckId() throws Exception {
      SioPacket packet = decode("2456[\"message-with-ack\",1]");

      assertThat(packet).isEqualTo(new SioPacket(SioPacket.EVENT, "/", 456, json("[\"message-with-ack\",1]"), 0));
      assertThat(packet.hasId()).isTrue();
    }

    @Test
    void eventInANamespaceWithAnAckId() throws Exception {
      assertThat(decode("2/admin,456[\"project:delete\",123]"))
          .isEqualTo(new SioPacket(SioPacket.EVENT, "/admin", 456, json("[\"project:delete\",123]"), 0));
    }

    @Test
    void ackIdZero() throws Exception {
      assertThat(decode("20[\"a\"]").id()).isZero();
    }

    @Test
    void fifteenDigitAckId() throws Exception {
      assertThat(decode("2123456789012345[\"a\"]").id()).isEqualTo(123456789012345L);
    }

    @Test
    void numericEventNameAsTheReferenceParserAllows() throws Exception {
      assertThat(decode("2[1,2]").data()).isEqualTo(json("[1,2]"));
    }

    @Test
    void explicitMainNamespace() throws Exception {
      assertThat(decode("2/,[\"a\"]")).isEqualTo(new SioPacket(SioPacket.EVENT, "/", -1, json("[\"a\"]"), 0));
    }

    @Test
    void whitespaceAroundTheJsonAsJsonParseAllows() throws Exception {
      assertThat(decode("2[\"a\"] \n").data()).isEqualTo(json("[\"a\"]"));
      assertThat(decode("2 [\"a\"]").data()).isEqualTo(json("[\"a\"]"));
    }

    @Test
    void nonAsciiText() throws Exception {
      assertThat(decode("2/chät,[\"héllo\",\"😀\"]"))
          .isEqualTo(new SioPacket(SioPacket.EVENT, "/chät", -1, json("[\"héllo\",\"😀\"]"), 0));
    }

    @Test
    void ack() throws Exception {
      assertThat(decode("3456[1,\"2\",{\"3\":[false]}]"))
          .isEqualTo(new SioPacket(SioPacket.ACK, "/", 456, json("[1,\"2\",{\"3\":[false]}]"), 0));
    }

    @Test
    void emptyAckInANamespace() throws Exception {
      assertThat(decode("3/admin,456[]")).isEqualTo(new SioPacket(SioPacket.ACK, "/admin", 456, json("[]"), 0));
    }

    @Test
    void connectErrorWithAnObject() throws Exception {
      assertThat(decode("4/admin,{\"message\":\"Not authorized\"}"))
          .isEqualTo(new SioPacket(SioPacket.CONNECT_ERROR, "/admin", -1, json("{\"message\":\"Not authorized\"}"), 0));
    }

    @Test
    void connectErrorWithAString() throws Exception {
      assertThat(decode("4\"Not authorized\"").data()).isEqualTo(json("\"Not authorized\""));
    }

    @Test
    void binaryEvent() throws Exception {
      assertThat(decode("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]"))
          .isEqualTo(new SioPacket(SioPacket.BINARY_EVENT, "/", -1,
              json("[\"hello\",{\"_placeholder\":true,\"num\":0}]"), 1));
    }

    @Test
    void binaryEventInANamespaceWithAnAckId() throws Exception {
      assertThat(decode("52-/admin,789[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"))
          .isEqualTo(new SioPacket(SioPacket.BINARY_EVENT, "/admin", 789,
              json("[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"), 2));
    }

    @Test
    void binaryAck() throws Exception {
      assertThat(decode("61-/admin,456[{\"_placeholder\":true,\"num\":0}]"))
          .isEqualTo(new SioPacket(SioPacket.BINARY_ACK, "/admin", 456,
              json("[{\"_placeholder\":true,\"num\":0}]"), 1));
    }

    @Test
    void tenAttachmentsAreTheLimit() throws Exception {
      assertThat(decode("510-[\"a\"]").attachments()).isEqualTo(10);
    }

    @Test
    void withDataDropsTheAttachmentCount() throws Exception {
      SioPacket packet = decode("51-7[\"a\",{\"_placeholder\":true,\"num\":0}]");

      SioPacket rebuilt = packet.withData(json("[\"a\",1]"));

      assertThat(rebuilt).isEqualTo(new SioPacket(SioPacket.BINARY_EVENT, "/", 7, json("[\"a\",1]"), 0));
    }
  }

  @Nested
  class InvalidPackets {
    @ParameterizedTest
    @ValueSource(strings = {"", "7", "9", "a", "-", " 2[\"a\"]", "/2[\"a\"]", "\u00002"})
    void unknownPacketType(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "5", "5-", "5-[\"a\"]", "5[\"a\"]", "51[\"a\"]", "5a-[\"a\"]", "5 1-[\"a\"]", "5+1-[\"a\"]", "51.0-[\"a\"]",
        "50-[\"a\"]", "60-[]", "599999999-[\"a\"]", "6-[]", "6"})
    void badAttachmentCount(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"511-[\"a\"]", "520-[\"a\"]", "6100-[]", "51000000-[]"})
    void moreThanTenAttachments(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2", "2/admin,", "21", "2{}", "2\"message\"", "21\"message\"", "2[]", "2[null]", "2[true]", "2[{}]",
        "2[[\"a\"]]", "51-", "51-{\"a\":{\"_placeholder\":true,\"num\":0}}", "51-[]"})
    void eventPayloadThatIsNotAnArrayStartingWithAName(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
    void reservedEventName(String name) {
      assertRejected("2[\"" + name + "\",1]");
      assertRejected("2/admin,1[\"" + name + "\"]");
      assertRejected("51-[\"" + name + "\",{\"_placeholder\":true,\"num\":0}]");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2[\"a\"]x", "2[\"a\"]]", "2[\"a\"][\"b\"]", "2[\"a\"] 1", "0{}{}", "0{} x", "3[]\"\"", "4\"a\"\"b\""})
    void trailingGarbageAfterTheJson(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2[\"a\",]", "2['a']", "2[\"a\",NaN]", "2[\"a\",01]", "2[\"a\"", "2[\"a\",{\"b\"}]", "2[\"a\",undefined]",
        "2[a]", "0{token:1}", "2[\"a\\x\"]"})
    void invalidJson(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]", "2/admin,abc[\"a\"]", "21a[\"a\"]", "2-1[\"a\"]",
        "21234567890123456[\"a\"]", "299999999999999999999[\"a\"]", "3abc[]"})
    void invalidAckId(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1{}", "1/admin,{}", "1[]", "1\"bye\"", "11{}", "1/admin,1[]", "1 "})
    void disconnectWithAPayload(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0[]", "0\"token\"", "0/admin,[]", "0/admin,1[]", "0null", "0true"})
    void connectWithANonObjectPayload(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "31", "3{}", "31\"x\"", "3/admin,1", "61-{}", "61-1"})
    void ackWithoutAnArray(String text) {
      assertRejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4", "4[]", "41", "4null", "4/admin,"})
    void connectErrorWithoutAMessage(String text) {
      assertRejected(text);
    }

    @Test
    void jsonNestedDeeperThanTheParserAllows() {
      String deep = "[".repeat(100_000) + "]".repeat(100_000);

      assertRejected("2[\"a\"," + deep + "]");
    }

    @Test
    void numberLongerThanTheParserAllows() {
      assertRejected("2[\"a\"," + "9".repeat(5_000) + "]");
    }

    private void assertRejected(String text) {
      assertThatThrownBy(() -> decode(text))
          .as("decoding %s", text)
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Nested
  class Placeholders {
    private final byte[] first = {1, 2, 3};
    private final byte[] second = {4, 5, 6};
    private final List<byte[]> two = List.of(first, second);

    @Test
    void topLevelArguments() throws Exception {
      SioPacket packet = decode("52-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");

      JsonNode data = SioDecoder.reconstruct(packet.data(), two);

      assertThat(data.get(0).textValue()).isEqualTo("message");
      assertThat(data.get(1)).isEqualTo(BinaryNode.valueOf(first));
      assertThat(data.get(2)).isEqualTo(BinaryNode.valueOf(second));
    }

    @Test
    void atAnyDepthInObjectsAndArrays() throws Exception {
      JsonNode data = json("[\"upload\",{\"file\":{\"parts\":[1,[{\"x\":{\"_placeholder\":true,\"num\":1}}]]},"
          + "\"thumb\":{\"_placeholder\":true,\"num\":0}},[[[[{\"_placeholder\":true,\"num\":0}]]]]]");

      JsonNode rebuilt = SioDecoder.reconstruct(data, two);

      assertThat(rebuilt.at("/1/file/parts/1/0/x")).isEqualTo(BinaryNode.valueOf(second));
      assertThat(rebuilt.at("/1/thumb")).isEqualTo(BinaryNode.valueOf(first));
      assertThat(rebuilt.at("/2/0/0/0/0")).isEqualTo(BinaryNode.valueOf(first));
      assertThat(rebuilt.at("/1/file/parts/0").intValue()).isEqualTo(1);
    }

    @Test
    void aPlaceholderAsTheWholePayload() throws Exception {
      JsonNode rebuilt = SioDecoder.reconstruct(json("{\"_placeholder\":true,\"num\":1}"), two);

      assertThat(rebuilt).isEqualTo(BinaryNode.valueOf(second));
    }

    @Test
    void integralFloatNumIsAnInteger() throws Exception {
      JsonNode rebuilt = SioDecoder.reconstruct(json("[\"a\",{\"_placeholder\":true,\"num\":1.0}]"), two);

      assertThat(rebuilt.get(1)).isEqualTo(BinaryNode.valueOf(second));
    }

    @Test
    void objectsThatOnlyLookLikePlaceholdersStay() throws Exception {
      String text = "[\"a\",{\"_placeholder\":false,\"num\":0},{\"_placeholder\":\"true\",\"num\":0},"
          + "{\"_placeholder\":1,\"num\":0},{\"num\":0}]";

      JsonNode rebuilt = SioDecoder.reconstruct(json(text), two);

      assertThat(rebuilt).isEqualTo(json(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"0\"", "1.5", "-1", "2", "3", "2147483648", "1e20", "null", "true", "[0]", "{}", "-0.5", "99999999999999999999"})
    void numThatIsNotAnIntegerBelowTheAttachmentCount(String num) throws Exception {
      JsonNode data = json("[\"a\",{\"x\":[{\"_placeholder\":true,\"num\":" + num + "}]}]");

      assertThatThrownBy(() -> SioDecoder.reconstruct(data, two))
          .as("num %s", num)
          .isInstanceOf(ProtocolException.class);
    }

    @Test
    void placeholderWithoutNum() throws Exception {
      JsonNode data = json("[\"a\",{\"_placeholder\":true}]");

      assertThatThrownBy(() -> SioDecoder.reconstruct(data, two)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void placeholderWhenNoAttachmentArrived() throws Exception {
      JsonNode data = json("[\"a\",{\"_placeholder\":true,\"num\":0}]");

      assertThatThrownBy(() -> SioDecoder.reconstruct(data, List.of())).isInstanceOf(ProtocolException.class);
    }
  }
}
