package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PacketParserTest {
  private final PacketParser parser = new PacketParser(new ObjectMapper());

  @Test
  void readsTheEngineIoOpenPacket() {
    Inbound packet = parser.parse(
        "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");

    assertThat(packet).isEqualTo(new Inbound.Open("lv_VI97HAXpY6yYWAAAC", 25000, 20000, 1000000));
  }

  @Test
  void readsEngineIoControlPackets() {
    assertThat(parser.parse("1")).isInstanceOf(Inbound.Close.class);
    assertThat(parser.parse("2")).isInstanceOf(Inbound.Ping.class);
    assertThat(parser.parse("6")).isInstanceOf(Inbound.Noop.class);
  }

  @Test
  void readsTheNamespaceConnectAnswer() {
    assertThat(parser.parse("40{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}"))
        .isEqualTo(new Inbound.Connected("/", "wZX3oN0bSVIhsaknAAAI", Optional.empty()));
    assertThat(parser.parse("41")).isEqualTo(new Inbound.Disconnected("/"));
    assertThat(parser.parse("44{\"message\":\"Not authorized\"}"))
        .isEqualTo(new Inbound.ConnectError("/", "{\"message\":\"Not authorized\"}"));
  }

  @Test
  void readsPacketsOfOtherNamespaces() {
    assertThat(parser.parse("40/chat,{\"sid\":\"s1\",\"pid\":\"p1\"}"))
        .isEqualTo(new Inbound.Connected("/chat", "s1", Optional.of("p1")));
    assertThat(parser.parse("41/chat,")).isEqualTo(new Inbound.Disconnected("/chat"));
    assertThat(parser.parse("41/chat")).isEqualTo(new Inbound.Disconnected("/chat"));
    assertThat(parser.parse("44/chat,{\"message\":\"name_taken\"}"))
        .isEqualTo(new Inbound.ConnectError("/chat", "{\"message\":\"name_taken\"}"));
    assertThat(parser.parse("42/chat,[\"message\",{\"seq\":3},\"MTIz.9ix\"]"))
        .isEqualTo(new Inbound.Event("/chat", OptionalLong.empty(), "message", "[{\"seq\":3},\"MTIz.9ix\"]"));
    assertThat(parser.parse("43/chat,12[{\"ok\":true}]")).isEqualTo(new Inbound.Ack("/chat", 12, "[{\"ok\":true}]"));
  }

  @Test
  void readsAnEventWithItsArguments() {
    Inbound packet = parser.parse("42[\"message\",{\"room\":\"a\",\"text\":\"hi\"},2]");

    assertThat(packet).isEqualTo(new Inbound.Event("/", OptionalLong.empty(), "message", "[{\"room\":\"a\",\"text\":\"hi\"},2]"));
  }

  @Test
  void readsAnEventThatAsksForAnAcknowledgement() {
    assertThat(parser.parse("4213[\"stats\"]")).isEqualTo(new Inbound.Event("/", OptionalLong.of(13), "stats", "[]"));
  }

  @Test
  void readsAnAcknowledgement() {
    assertThat(parser.parse("437[{\"room\":\"r1\"}]")).isEqualTo(new Inbound.Ack("/", 7, "[{\"room\":\"r1\"}]"));
    assertThat(parser.parse("430[]")).isEqualTo(new Inbound.Ack("/", 0, "[]"));
  }

  @Test
  void leavesBinaryAlone() {
    assertThat(parser.parse("451-[\"file\",{\"_placeholder\":true,\"num\":0}]")).isInstanceOf(Inbound.Unsupported.class);
    assertThat(parser.parse("5")).isInstanceOf(Inbound.Unsupported.class);
  }

  @Test
  void rejectsWhatIsNotAPacket() {
    assertThatThrownBy(() -> parser.parse("")).isInstanceOf(MalformedPacketException.class);
    assertThatThrownBy(() -> parser.parse("0{\"upgrades\":[]}")).hasMessageContaining("without sid");
    assertThatThrownBy(() -> parser.parse("42{\"not\":\"an array\"}")).hasMessageContaining("without a name");
    assertThatThrownBy(() -> parser.parse("43[]")).hasMessageContaining("without an id");
    assertThatThrownBy(() -> parser.parse("40{oops")).hasMessageContaining("not JSON");
  }
}
