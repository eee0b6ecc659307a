package dev.parley.bench;

import java.util.List;
import java.util.Map;

/**
 * What one scenario measured against one server; written as JSON for {@link ReportTable}.
 *
 * @param scenario scenario name
 * @param server label of the server ({@code parley}, {@code peer})
 * @param metric what {@code value} is, in words
 * @param unit unit of {@code value}
 * @param value the headline figure compared between servers
 * @param higherIsBetter whether a larger {@code value} is better
 * @param detail one line of context for the table
 * @param serverCpuSeconds CPU the server used over the whole scenario; -1 when not measured
 * @param generatorCpuSeconds CPU all generator processes used over the whole scenario
 * @param generatorProcesses how many generator processes ran
 * @param clients clients connected
 * @param disconnects clients the server dropped while measuring
 * @param steps the ramp steps, for ramp scenarios
 * @param figures further named figures (per-connection RSS, deliveries per CPU-second, ...)
 */
public record ScenarioResult(String scenario, String server, String metric, String unit, double value,
    boolean higherIsBetter, String detail, double serverCpuSeconds, double generatorCpuSeconds,
    int generatorProcesses, int clients, int disconnects, List<StepResult> steps, Map<String, Double> figures) {

  public ScenarioResult {
    steps = List.copyOf(steps);
    figures = Map.copyOf(figures);
  }

  /** The same result with {@code more} added to its detail line. */
  public ScenarioResult withDetail(String more) {
    return new ScenarioResult(scenario, server, metric, unit, value, higherIsBetter, detail + more, serverCpuSeconds,
        generatorCpuSeconds, generatorProcesses, clients, disconnects, steps, figures);
  }
}
