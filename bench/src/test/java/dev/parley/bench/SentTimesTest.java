package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SentTimesTest {

  @Test
  void findsEachRequestOnceByItsAckId() {
    SentTimes times = new SentTimes(4);
    times.sent(0, 2, 1_000);
    times.sent(1, 3, 1_500);

    assertThat(times.take(1)).isTrue();
    assertThat(times.takenMicros()).isEqualTo(1_500);
    assertThat(times.takenStep()).isEqualTo(3);
    assertThat(times.take(1)).as("taken already").isFalse();
    assertThat(times.take(0)).isTrue();
    assertThat(times.takenMicros()).isEqualTo(1_000);
    assertThat(times.take(7)).as("never sent").isFalse();
  }

  @Test
  void anAckOlderThanTheRingIsNotFound() {
    SentTimes times = new SentTimes(4);
    for (long id = 0; id < 6; id++) {
      times.sent(id, 0, id);
    }

    assertThat(times.take(1)).as("overwritten by 5").isFalse();
    assertThat(times.take(5)).isTrue();
    assertThat(times.take(2)).isTrue();
  }

  @Test
  void theCapacityIsAPowerOfTwo() {
    assertThatThrownBy(() -> new SentTimes(3)).hasMessageContaining("power of two");
  }
}
