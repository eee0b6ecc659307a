package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReportTableTest {

  private static ScenarioResult result(String scenario, String server, String unit, double value, boolean higher) {
    return new ScenarioResult(scenario, server, "m", unit, value, higher, "detail of " + server, 12.5, 3.0, 1, 10, 0,
        List.of(), Map.of());
  }

  @Test
  void throughputRatiosAreParleyOverThePeer() {
    String table = ReportTable.render(Map.of("fanout", Map.of(
        "parley", result("fanout", "parley", "msg/s", 1_200_000, true),
        "peer", result("fanout", "peer", "msg/s", 140_000, true))), List.of("fanout"));

    assertThat(table).contains("| fanout | 1,200,000/s | 140,000/s | 8.57× | ≥ 8× (p99 ≤ 50 ms) | yes | 12.5 / 12.5 | 3.0 / 3.0 |");
  }

  @Test
  void memoryAndLatencyRatiosArePeerOverParley() {
    String table = ReportTable.render(Map.of(
        "idle", Map.of("parley", result("idle", "parley", "bytes", 5_400, false),
            "peer", result("idle", "peer", "bytes", 11_000, false)),
        "dm", Map.of("parley", result("dm", "parley", "ms", 2, false),
            "peer", result("dm", "peer", "ms", 90, false))), List.of("idle", "dm"));

    assertThat(table).contains("| idle | 5.3 KB | 10.7 KB | 2.04× | ≤ 2 KB heap/conn and ≥ 5× | no |");
    assertThat(table).contains("| dm | 2.0 ms | 90.0 ms | 45.00× | p99 ≤ 5 ms | yes |");
  }

  @Test
  void listsWhatCannotRunYetAndWhatDidNotRun() {
    String table = ReportTable.render(Map.of(), List.of("rooms"));

    assertThat(table).contains("| rooms | not run | not run | — |");
    assertThat(table).contains("| durable | not yet | not yet |");
    assertThat(table).contains("| history | not yet | not yet |");
    assertThat(table).contains("| reconnect | not yet | not yet |");
  }
}
