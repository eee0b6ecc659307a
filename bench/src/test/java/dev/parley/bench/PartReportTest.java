package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PartReportTest {

  @Test
  void aWorkerReportSurvivesTheTripThroughJson() throws Exception {
    Histogram latencies = StepLatencies.newHistogram();
    latencies.recordValueWithCount(1_500, 990);
    latencies.recordValueWithCount(70_000, 10);
    PartReport report = new PartReport(3.25, 5_000, 1, List.of(PartReport.StepPart.of(0, 42, latencies)));
    ObjectMapper mapper = new ObjectMapper();

    PartReport back = mapper.readValue(mapper.writeValueAsString(report), PartReport.class);

    assertThat(back.cpuSeconds()).isEqualTo(3.25);
    assertThat(back.clients()).isEqualTo(5_000);
    assertThat(back.disconnects()).isEqualTo(1);
    assertThat(back.steps()).hasSize(1);
    assertThat(back.steps().get(0).sent()).isEqualTo(42);
    Histogram decoded = back.steps().get(0).histogram();
    assertThat(decoded.getTotalCount()).isEqualTo(1_000);
    assertThat(decoded.getCountBetweenValues(0, 50_000)).isEqualTo(990);
  }

  @Test
  void stepLatenciesKeepStepsApartAndIgnoreTheWarmUp() {
    StepLatencies latencies = new StepLatencies(3);
    latencies.record(0, 100);
    latencies.record(1, 200);
    latencies.record(1, 300);
    latencies.record(Schedule.WARMUP, 400);
    latencies.record(7, 500);
    latencies.record(2, -5); // clocks of two processes may disagree by a few microseconds

    assertThat(latencies.snapshot(0).getTotalCount()).isEqualTo(1);
    assertThat(latencies.snapshot(1).getTotalCount()).isEqualTo(2);
    assertThat(latencies.snapshot(1).getTotalCount()).as("snapshots accumulate").isEqualTo(2);
    assertThat(latencies.snapshot(2).getMaxValue()).isZero();
  }
}
