package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PayloadScannerTest {

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  @Test
  void recognizesAnEventByItsPrefix() {
    ByteBuf frame = bytes("42[\"message\",{\"t\":1,\"s\":0}]");

    assertThat(PayloadScanner.startsWith(frame, PayloadScanner.eventPrefix("message"))).isTrue();
    assertThat(PayloadScanner.startsWith(frame, PayloadScanner.eventPrefix("dm"))).isFalse();
    assertThat(PayloadScanner.startsWith(bytes("42[\"mess"), PayloadScanner.eventPrefix("message"))).isFalse();
  }

  @Test
  void readsTheTimestampAndStepWhereverTheServerPutsThem() {
    ByteBuf nodeOrder = bytes("42[\"message\",{\"t\":1700000000123456,\"s\":12,\"room\":\"fanout\",\"text\":\"xx\"}]");
    ByteBuf otherOrder = bytes("42[\"message\",{\"room\":\"fanout\",\"text\":\"xx\",\"s\":12,\"t\":1700000000123456}]");

    for (ByteBuf frame : new ByteBuf[] {nodeOrder, otherOrder}) {
      assertThat(PayloadScanner.longField(frame, PayloadScanner.TIMESTAMP)).isEqualTo(1_700_000_000_123_456L);
      assertThat(PayloadScanner.longField(frame, PayloadScanner.STEP)).isEqualTo(12);
    }
  }

  @Test
  void doesNotMoveTheReaderIndex() {
    ByteBuf frame = bytes("42[\"dm\",{\"t\":5,\"s\":-1}]");

    assertThat(PayloadScanner.longField(frame, PayloadScanner.STEP)).isEqualTo(-1);
    assertThat(frame.readerIndex()).isZero();
  }

  @Test
  void reportsAbsentFields() {
    assertThat(PayloadScanner.longField(bytes("42[\"message\",{\"text\":\"t\"}]"), PayloadScanner.TIMESTAMP))
        .isEqualTo(PayloadScanner.ABSENT);
    assertThat(PayloadScanner.longField(bytes("42[\"message\",{\"t\":\"soon\"}]"), PayloadScanner.TIMESTAMP))
        .isEqualTo(PayloadScanner.ABSENT);
    assertThat(PayloadScanner.longField(bytes("42[\"message\",{\"ts\":7}]"), PayloadScanner.STEP))
        .isEqualTo(PayloadScanner.ABSENT);
  }

  @Test
  void scansFromTheReaderIndex() {
    ByteBuf frame = bytes("XX42[\"message\",{\"t\":9,\"s\":1}]");
    frame.skipBytes(2);

    assertThat(PayloadScanner.startsWith(frame, PayloadScanner.eventPrefix("message"))).isTrue();
    assertThat(PayloadScanner.longField(frame, PayloadScanner.TIMESTAMP)).isEqualTo(9);
  }

  @Test
  void readsTheAckIdOfItsNamespace() {
    byte[] chat = "43/chat,".getBytes(StandardCharsets.UTF_8);

    assertThat(PayloadScanner.ackId(bytes("43/chat,17[{\"ok\":true}]"), chat)).isEqualTo(17);
    assertThat(PayloadScanner.ackId(bytes("430[]"), "43".getBytes(StandardCharsets.UTF_8))).isZero();
    assertThat(PayloadScanner.ackId(bytes("4317[{}]"), chat)).isEqualTo(-1);
    assertThat(PayloadScanner.ackId(bytes("43/chat,[{}]"), chat)).isEqualTo(-1);
    assertThat(PayloadScanner.ackId(bytes("43/chat,12"), chat)).isEqualTo(-1);
  }

  @Test
  void findsTheOffsetInTheLastArgument() {
    assertThat(PayloadScanner.trailingString(bytes("42/chat,[\"message\",{\"seq\":1},\"1a.2b\"]"))).isEqualTo("1a.2b");
    assertThat(PayloadScanner.trailingString(bytes("42[\"message\",{\"text\":\"x\"}]"))).isNull();
    assertThat(PayloadScanner.trailingString(bytes("42[\"message\"]"))).isNull();
    assertThat(PayloadScanner.trailingString(bytes("42[\"m\",\"a\\\"b\"]"))).isNull();
  }

  @Test
  void readsStringFieldsAndCountsKeys() {
    ByteBuf session = bytes("42/chat,[\"session\",{\"user\":{\"id\":\"5\"},\"guestKey\":\"k-9_z\",\"rooms\":[]}]");
    ByteBuf page = bytes("43/chat,4[{\"ok\":true,\"messages\":[{\"seq\":1},{\"seq\":2},{\"seq\":3}]}]");

    assertThat(PayloadScanner.stringField(session, PayloadScanner.key("guestKey"))).isEqualTo("k-9_z");
    assertThat(PayloadScanner.stringField(session, PayloadScanner.key("rooms"))).isNull();
    assertThat(PayloadScanner.count(page, PayloadScanner.key("seq"))).isEqualTo(3);
    assertThat(PayloadScanner.contains(page, "\"ok\":true".getBytes(StandardCharsets.UTF_8))).isTrue();
  }

  @Test
  void readsTheStampOfAChatMessageFromItsText() {
    String text = Payloads.chatText(1_700_000_000_123_456L, 4, 100);
    ByteBuf parley = bytes("42/chat,[\"message\",{\"id\":\"9\",\"roomId\":\"1\",\"seq\":7,\"ts\":1700000000123,"
        + "\"user\":{\"id\":\"2\",\"name\":\"d0-1\"},\"text\":\"" + text + "\",\"clientMsgId\":\"1-0\",\"kind\":\"text\"},\"x.y\"]");

    assertThat(PayloadScanner.startsWith(parley, PayloadScanner.eventPrefix("/chat", "message"))).isTrue();
    assertThat(PayloadScanner.longField(parley, PayloadScanner.TEXT_TIMESTAMP)).isEqualTo(1_700_000_000_123_456L);
    assertThat(PayloadScanner.longField(parley, PayloadScanner.TEXT_STEP)).isEqualTo(4);
    assertThat(PayloadScanner.longField(parley, PayloadScanner.key("seq"))).isEqualTo(7);
  }
}
