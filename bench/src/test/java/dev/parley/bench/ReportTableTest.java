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

  private static ScenarioResult withFigures(String scenario, String server, String unit, double value,
      Map<String, Double> figures) {
    return new ScenarioResult(scenario, server, "m", unit, value, false, "detail", 1, 1, 1, 10, 0, List.of(), figures);
  }

  @Test
  void listsWhatDidNotRun() {
    String table = ReportTable.render(Map.of(), List.of("rooms", "reconnect"));

    assertThat(table).contains("| rooms | not run | not run | — |");
    assertThat(table).contains("| reconnect | not run | not run | — |");
    assertThat(table).doesNotContain("not yet");
  }

  @Test
  void theSqliteDurableRowHasNoPeerAndIsJudgedOnTheAbsoluteTarget() {
    ScenarioResult parley = new ScenarioResult("durable", "parley", "m", "msg/s", 61_000, true, "d", 20, 4, 1, 200, 0,
        List.of(), Map.of());

    String table = ReportTable.render(Map.of("durable", Map.of("parley", parley)), List.of("durable"));

    assertThat(table).contains("| durable | 61,000/s | n/a | — | ≥ 50,000/s on SQLite, p99 ack ≤ 20 ms | yes | 20.0 / n/a | 4.0 / n/a |");
  }

  @Test
  void thePostgresDurableRowComparesWithThePeer() {
    String table = ReportTable.render(Map.of("durable-pg", Map.of(
        "parley", result("durable-pg", "parley", "msg/s", 24_000, true),
        "peer", result("durable-pg", "peer", "msg/s", 3_000, true))), List.of("durable-pg"));

    assertThat(table).contains("| durable-pg | 24,000/s | 3,000/s | 8.00× | ≥ 30,000/s on PostgreSQL, p99 ack ≤ 20 ms | no |");
  }

  @Test
  void aReconnectMeetsItsTargetOnlyWithNothingLostOrDuplicated() {
    Map<String, Double> clean = Map.of("lost", 0.0, "duplicates", 0.0);
    Map<String, Double> lossy = Map.of("lost", 3.0, "duplicates", 0.0);

    String fast = ReportTable.render(Map.of("reconnect", Map.of(
        "parley", withFigures("reconnect", "parley", "s", 1.5, clean),
        "peer", withFigures("reconnect", "peer", "s", 3.0, clean))), List.of("reconnect"));
    String lossyFast = ReportTable.render(Map.of("reconnect", Map.of(
        "parley", withFigures("reconnect", "parley", "s", 1.5, lossy))), List.of("reconnect"));
    String stuck = ReportTable.render(Map.of("reconnect", Map.of(
        "parley", withFigures("reconnect", "parley", "s", -1, clean))), List.of("reconnect"));

    assertThat(fast).contains("| reconnect | 1.50 s | 3.00 s | 2.00× | all caught up ≤ 5 s, zero lost | yes |");
    assertThat(lossyFast).contains("| reconnect | 1.50 s | not run | — | all caught up ≤ 5 s, zero lost | no |");
    assertThat(stuck).contains("| reconnect | not all caught up | not run | — | all caught up ≤ 5 s, zero lost | no |");
  }

  @Test
  void aHistoryWithPagesUnansweredHasNoP99AndMissesItsTarget() {
    String table = ReportTable.render(Map.of("history", Map.of(
        "parley", result("history", "parley", "ms", 3.2, false),
        "peer", result("history", "peer", "ms", -1, false))), List.of("history"));

    assertThat(table).contains("| history | 3.2 ms | over 1% unanswered | — | p99 ≤ 5 ms for a 50-message page during fan-out | yes |");
    assertThat(ReportTable.render(Map.of("history", Map.of("parley", result("history", "parley", "ms", -1, false))),
        List.of("history"))).contains("| history | over 1% unanswered | not run | — |").contains("| no |");
  }

  @Test
  void theClusterIsJudgedAgainstOneNodeAndComparedWithThePeer() {
    Map<String, ScenarioResult> close = Map.of(
        "parley-1node", result("cluster", "parley-1node", "msg/s", 200_000, true),
        "parley", result("cluster", "parley", "msg/s", 170_000, true),
        "peer", result("cluster", "peer", "msg/s", 100_000, true));
    Map<String, ScenarioResult> far = Map.of(
        "parley-1node", result("cluster", "parley-1node", "msg/s", 200_000, true),
        "parley", result("cluster", "parley", "msg/s", 150_000, true));

    String met = ReportTable.render(Map.of("cluster", close), List.of("cluster"));
    String missed = ReportTable.render(Map.of("cluster", far), List.of("cluster"));

    assertThat(met).contains("| cluster | 170,000/s | 100,000/s | 1.70× | two nodes ≥ 0.8× one node (p99 ≤ 50 ms) "
        + "| yes (0.85× one node's 200,000/s) |");
    assertThat(met).contains("- **cluster**, parley, one node: detail of parley-1node")
        .contains("- **cluster**, parley, two nodes: detail of parley");
    assertThat(missed).contains("| cluster | 150,000/s | not run | — | two nodes ≥ 0.8× one node (p99 ≤ 50 ms) "
        + "| no (0.75× one node's 200,000/s) |");
  }

  @Test
  void aClusterWithoutOneNodeToReadAgainstHasNoVerdict() {
    String alone = ReportTable.render(Map.of("cluster", Map.of(
        "parley", result("cluster", "parley", "msg/s", 150_000, true))), List.of("cluster"));
    String oneFailed = ReportTable.render(Map.of("cluster", Map.of(
        "parley-1node", result("cluster", "parley-1node", "msg/s", 0, true),
        "parley", result("cluster", "parley", "msg/s", 150_000, true))), List.of("cluster"));

    assertThat(alone).contains("| — (one node not run) |");
    assertThat(oneFailed).contains("| — (one node: no step within bound) |");
  }
}
