package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the markdown table of a benchmark run from the generator's JSON results: one row per
 * scenario with Parley's figure, the peer's ({@code n/a} where the scenario has no peer),
 * Parley's advantage as a ratio, the target and whether it was met, plus CPU seconds.
 *
 * <p>Usage: {@code ReportTable <dir with <scenario>-<server>.json files> [scenario...]}.
 */
public final class ReportTable {
  private static final String PARLEY = "parley";
  private static final String PEER = "peer";
  /** The cluster scenario's one Parley node alone, which its two nodes are read against. */
  private static final String ONE_NODE = "parley-1node";
  /** The share of one node's figure a cluster of two must keep. */
  private static final double CLUSTER_SHARE = 0.8;

  /**
   * A scenario's target: how it reads in the table and how it is checked.
   *
   * @param usesRatio whether the check needs the peer's figure; an absolute target is checked
   *     on Parley's alone
   */
  private record Target(String text, TargetCheck check, boolean usesRatio) {}

  @FunctionalInterface
  private interface TargetCheck {
    /**
     * Whether Parley's result and its ratio to the peer meet the target; empty if none is set.
     * {@code sides} holds every result of the scenario, by server.
     */
    Optional<Boolean> met(ScenarioResult parley, double ratio, Map<String, ScenarioResult> sides);
  }

  private static final Map<String, Target> TARGETS = Map.of(
      "idle", new Target("≤ 2 KB heap/conn and ≥ 5×", (p, r, s) -> Optional.of(p.value() <= 2048 && r >= 5), true),
      "fanout", new Target("≥ 8× (p99 ≤ 50 ms)", (p, r, s) -> Optional.of(r >= 8), true),
      "fanout10k", new Target("≥ 8× (p99 ≤ 250 ms)", (p, r, s) -> Optional.of(r >= 8), true),
      "rooms", new Target("none set (p99 ≤ 50 ms)", (p, r, s) -> Optional.empty(), true),
      "dm", new Target("p99 ≤ 5 ms", (p, r, s) -> Optional.of(p.value() <= 5), false),
      "durable", new Target("≥ 50,000/s on SQLite, p99 ack ≤ 20 ms", (p, r, s) -> Optional.of(p.value() >= 50_000),
          false),
      "durable-pg", new Target("≥ 30,000/s on PostgreSQL, p99 ack ≤ 20 ms",
          (p, r, s) -> Optional.of(p.value() >= 30_000), false),
      "history", new Target("p99 ≤ 5 ms for a 50-message page during fan-out",
          (p, r, s) -> Optional.of(p.value() >= 0 && p.value() <= 5), false),
      "reconnect", new Target("all caught up ≤ 5 s, zero lost", (p, r, s) -> Optional.of(p.value() >= 0
          && p.value() <= 5 && p.figures().getOrDefault("lost", 1.0) == 0
          && p.figures().getOrDefault("duplicates", 1.0) == 0), false),
      "cluster", new Target("two nodes ≥ 0.8× one node (p99 ≤ 50 ms)",
          (p, r, s) -> clusterShare(p, s).map(share -> share >= CLUSTER_SHARE), false));

  /** Scenarios whose peer does not exist: the durable peer would need SQLite, which Node 20 lacks. */
  private static final Set<String> NO_PEER = Set.of("durable");

  private ReportTable() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: ReportTable <results dir> [scenario...]");
      System.exit(2);
    }
    List<String> scenarios = args.length > 1 ? List.of(args).subList(1, args.length) : LoadGenerator.SCENARIOS;
    System.out.print(render(read(Path.of(args[0])), scenarios));
  }

  /** Every result in {@code dir}, by scenario and server. */
  static Map<String, Map<String, ScenarioResult>> read(Path dir) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Map<String, ScenarioResult>> results = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json"))::iterator) {
        ScenarioResult r = mapper.readValue(file.toFile(), ScenarioResult.class);
        results.computeIfAbsent(r.scenario(), k -> new HashMap<>()).put(r.server(), r);
      }
    }
    return results;
  }

  /** The table and the details under it. */
  static String render(Map<String, Map<String, ScenarioResult>> results, List<String> scenarios) {
    StringBuilder out = new StringBuilder();
    out.append("| scenario | parley | peer | ratio | target | met | server CPU s (parley / peer) | generator CPU s (parley / peer) |\n");
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    List<String> details = new ArrayList<>();
    for (String scenario : scenarios) {
      Map<String, ScenarioResult> byServer = results.getOrDefault(scenario, Map.of());
      Optional<ScenarioResult> parley = Optional.ofNullable(byServer.get(PARLEY));
      Optional<ScenarioResult> peer = Optional.ofNullable(byServer.get(PEER));
      Target target = TARGETS.getOrDefault(scenario, new Target("none set", (p, r, s) -> Optional.empty(), false));
      boolean noPeer = NO_PEER.contains(scenario);
      String ratio = "—";
      double r = Double.NaN;
      if (parley.isPresent() && peer.isPresent()) {
        r = ratio(parley.get(), peer.get());
        ratio = Double.isFinite(r) ? String.format(Locale.ROOT, "%.2f×", r) : "—";
      }
      String met = parley.isPresent() ? "—" : "no";
      if (parley.isPresent() && (peer.isPresent() || !target.usesRatio())) {
        met = target.check().met(parley.get(), r, byServer).map(m -> m ? "yes" : "no").orElse("—");
        if (scenario.equals("cluster")) {
          met += " (" + clusterNote(parley.get(), byServer) + ")";
        }
      }
      String peerValue = noPeer ? "n/a" : peer.map(ReportTable::value).orElse("not run");
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s / %s | %s / %s |%n", scenario,
          parley.map(ReportTable::value).orElse("not run"), peerValue, ratio, target.text(), met,
          parley.map(x -> cpu(x.serverCpuSeconds())).orElse("—"),
          noPeer ? "n/a" : peer.map(x -> cpu(x.serverCpuSeconds())).orElse("—"),
          parley.map(x -> cpu(x.generatorCpuSeconds())).orElse("—"),
          noPeer ? "n/a" : peer.map(x -> cpu(x.generatorCpuSeconds())).orElse("—")));
      Optional.ofNullable(byServer.get(ONE_NODE)).ifPresent(x -> details.add("- **" + scenario
          + "**, parley, one node: " + x.detail() + disconnects(x)));
      String parleyLabel = byServer.containsKey(ONE_NODE) ? "parley, two nodes" : "parley";
      parley.ifPresent(x -> details.add("- **" + scenario + "**, " + parleyLabel + ": " + x.detail() + disconnects(x)));
      peer.ifPresent(x -> details.add("- **" + scenario + "**, peer: " + x.detail() + disconnects(x)));
    }
    out.append("\n");
    details.forEach(d -> out.append(d).append('\n'));
    return out.toString();
  }

  /**
   * The cluster's figure as a share of one node's ({@code parley-1node}); empty when one node was
   * not measured or met the bound in no step.
   */
  static Optional<Double> clusterShare(ScenarioResult cluster, Map<String, ScenarioResult> sides) {
    ScenarioResult one = sides.get(ONE_NODE);
    return one == null || one.value() <= 0 ? Optional.empty() : Optional.of(cluster.value() / one.value());
  }

  /** How the cluster's figure compares with one node's, in words for the table. */
  private static String clusterNote(ScenarioResult cluster, Map<String, ScenarioResult> sides) {
    ScenarioResult one = sides.get(ONE_NODE);
    if (one == null) {
      return "one node not run";
    }
    return clusterShare(cluster, sides).map(x -> String.format(Locale.ROOT, "%.2f× one node's %s", x, value(one)))
        .orElse("one node: " + value(one));
  }

  /** How many times better Parley is: above 1 means Parley wins. */
  static double ratio(ScenarioResult parley, ScenarioResult peer) {
    if (parley.value() <= 0 || peer.value() <= 0) {
      return parley.higherIsBetter() && peer.value() <= 0 && parley.value() > 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    }
    return parley.higherIsBetter() ? parley.value() / peer.value() : peer.value() / parley.value();
  }

  /** A figure with its unit, readable. */
  static String value(ScenarioResult r) {
    return switch (r.unit()) {
      case "bytes" -> r.value() >= 1024 ? String.format(Locale.ROOT, "%.1f KB", r.value() / 1024)
          : String.format(Locale.ROOT, "%.0f B", r.value());
      case "msg/s" -> r.value() > 0 ? String.format(Locale.ROOT, "%,.0f/s", r.value()) : "no step within bound";
      case "ms" -> r.value() >= 0 ? String.format(Locale.ROOT, "%.1f ms", r.value()) : "over 1% unanswered";
      case "s" -> r.value() >= 0 ? String.format(Locale.ROOT, "%.2f s", r.value()) : "not all caught up";
      default -> String.format(Locale.ROOT, "%.2f %s", r.value(), r.unit());
    };
  }

  private static String cpu(double seconds) {
    return seconds < 0 ? "—" : String.format(Locale.ROOT, "%.1f", seconds);
  }

  private static String disconnects(ScenarioResult r) {
    return r.disconnects() > 0 ? String.format(" (%,d clients disconnected by the server)", r.disconnects()) : "";
  }
}
