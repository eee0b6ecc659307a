package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StepResultTest {
  private static final long BOUND = 50_000;

  private static Histogram latencies(long count, long micros) {
    Histogram h = StepLatencies.newHistogram();
    h.recordValueWithCount(micros, count);
    return h;
  }

  @Test
  void aStepWhoseDeliveriesAllCameInTimeIsWithinTheBound() {
    StepResult r = StepResult.of(0, 100, 1_000, latencies(1_000, 2_000), 2, BOUND, 1.5, 0.5);

    assertThat(r.withinBound()).isTrue();
    assertThat(r.deliveredPerSecond()).isEqualTo(500);
    assertThat(r.p99Ms()).isBetween(1.99, 2.01);
    assertThat(r.deliveriesPerCpuSecond(2)).isBetween(666.0, 667.0);
  }

  @Test
  void deliveriesThatNeverCameCountAsLate() {
    // 985 of 1,000 arrived quickly, 15 never did: 1.5% lost puts p99 beyond any bound.
    StepResult r = StepResult.of(0, 100, 1_000, latencies(985, 1_000), 1, BOUND, -1, 0);

    assertThat(r.withinBound()).isFalse();
    assertThat(r.p99Ms()).isEqualTo(-1);
    assertThat(r.deliveriesPerCpuSecond(1)).isEqualTo(-1);
  }

  @Test
  void aFewLostOrLateDeliveriesStillMeetTheBound() {
    Histogram h = latencies(990, 1_000);
    h.recordValueWithCount(80_000, 5); // 5 late, 5 lost: 1% beyond the bound

    StepResult r = StepResult.of(0, 100, 1_000, h, 1, BOUND, -1, 0);

    assertThat(r.withinBound()).isTrue();
    assertThat(r.p99Ms()).isBetween(0.99, 1.01);
  }

  @Test
  void nothingSentIsNotWithinTheBound() {
    assertThat(StepResult.of(0, 0, 0, StepLatencies.newHistogram(), 1, BOUND, -1, 0).withinBound()).isFalse();
  }
}
