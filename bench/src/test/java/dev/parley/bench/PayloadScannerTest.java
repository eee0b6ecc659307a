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
}
