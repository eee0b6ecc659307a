package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PacketsTest {

  @Test
  void writesEventsAndEventsWithAckIds() {
    assertThat(Packets.event("join", Payloads.room("r1"))).isEqualTo("42[\"join\",{\"room\":\"r1\"}]");
    assertThat(Packets.eventWithAck(5, "join", Payloads.room("r1"))).isEqualTo("425[\"join\",{\"room\":\"r1\"}]");
    assertThat(Packets.eventWithAck(0, "stats")).isEqualTo("420[\"stats\"]");
  }

  @Test
  void quotesNamesAndRooms() {
    assertThat(Payloads.room("a\"b\\c\n")).isEqualTo("{\"room\":\"a\\\"b\\\\c\\n\"}");
  }

  @Test
  void rejectsNegativeAckIds() {
    assertThatThrownBy(() -> Packets.eventWithAck(-1, "x", "{}")).hasMessageContaining("must not be negative");
  }

  @Test
  void whatItWritesTheParserReadsBack() {
    String message = Packets.eventWithAck(42, "message", Payloads.message(1_700_000_000_123_456L, 3, "\"r\"", Payloads.text(5)));

    Inbound parsed = new PacketParser(new ObjectMapper()).parse(message);

    assertThat(parsed).isEqualTo(new Inbound.Event("/", OptionalLong.of(42), "message",
        "[{\"t\":1700000000123456,\"s\":3,\"room\":\"r\",\"text\":\"xxxxx\"}]"));
  }

  @Test
  void writesEventsOfOtherNamespaces() {
    assertThat(Packets.event("/chat", "typing", "{}")).isEqualTo("42/chat,[\"typing\",{}]");
    assertThat(Packets.eventWithAck("/chat", 7, "history", "{\"limit\":50}"))
        .isEqualTo("42/chat,7[\"history\",{\"limit\":50}]");
    assertThat(Packets.eventWithAck("/chat", 0, "rooms:list", null)).isEqualTo("42/chat,0[\"rooms:list\"]");
    assertThat(Packets.eventWithAck("/", 3, "stats", null)).isEqualTo("423[\"stats\"]");
  }

  @Test
  void aChatSendCarriesItsTimestampAndStepAtTheStartOfTheText() {
    String text = Payloads.chatText(1_700_000_000_123_456L, -1, 100);
    String send = Payloads.chatSend("\"12\"", text, "\"3-0\"");

    assertThat(text).hasSize(100).startsWith("t=1700000000123456 s=-1 x");
    assertThat(send).isEqualTo("{\"roomId\":\"12\",\"text\":\"" + text + "\",\"clientMsgId\":\"3-0\"}");
  }

  @Test
  void fillerTextHasTheRequestedSize() {
    assertThat(Payloads.text(100)).hasSize(100);
    assertThat(Payloads.text(0)).isEmpty();
  }
}
