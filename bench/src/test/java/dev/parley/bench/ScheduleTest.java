package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ScheduleTest {
  // Starts at t=1,000,000 µs; 2 s warm-up; 1 s steps; 100 msg/s growing by half each step.
  private final Schedule schedule = new Schedule(1_000_000, 2_000_000, 1_000_000, 100, 1.5, 4);

  @Test
  void placesEachInstantInItsStep() {
    assertThat(schedule.stepAt(999_999)).isEqualTo(Schedule.NOT_STARTED);
    assertThat(schedule.stepAt(1_000_000)).isEqualTo(Schedule.WARMUP);
    assertThat(schedule.stepAt(2_999_999)).isEqualTo(Schedule.WARMUP);
    assertThat(schedule.stepAt(3_000_000)).isZero();
    assertThat(schedule.stepAt(4_500_000)).isEqualTo(1);
    assertThat(schedule.stepAt(60_000_000)).isEqualTo(4);
  }

  @Test
  void growsTheRateStepByStep() {
    assertThat(schedule.rate(Schedule.WARMUP)).isEqualTo(100);
    assertThat(schedule.rate(0)).isEqualTo(100);
    assertThat(schedule.rate(2)).isCloseTo(225, within(1e-9));
  }

  @Test
  void knowsWhereStepsBeginAndEnd() {
    assertThat(schedule.stepStart(Schedule.WARMUP)).isEqualTo(1_000_000);
    assertThat(schedule.stepEnd(Schedule.WARMUP)).isEqualTo(3_000_000);
    assertThat(schedule.stepStart(1)).isEqualTo(4_000_000);
    assertThat(schedule.stepEnd(1)).isEqualTo(5_000_000);
    assertThat(schedule.startingAt(0).stepStart(0)).isEqualTo(2_000_000);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new Schedule(0, 0, 0, 1, 1, 1)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new Schedule(0, 0, 1, 1, 0.5, 1)).hasMessageContaining("factor");
  }
}
