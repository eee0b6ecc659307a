package dev.parley.bench;

import java.util.HashMap;
import java.util.Map;

/** Turns a ramp's {@link RampRunner.Outcome} into the scenario's result. */
final class RampResults {
  private RampResults() {}

  static ScenarioResult of(BenchContext ctx, String scenario, String setup, RampRunner.Outcome outcome,
      Schedule schedule, double serverCpuStart, double generatorCpuStart, int processes, int clients) {
    return of(ctx, scenario, setup, outcome, schedule, serverCpuStart, generatorCpuStart, processes, clients,
        "deliveries per second within the bound", "deliveries");
  }

  /**
   * @param metric what the figure is, in words
   * @param counted what a step counts ({@code deliveries}, {@code acks}), for the per-CPU figure
   */
  static ScenarioResult of(BenchContext ctx, String scenario, String setup, RampRunner.Outcome outcome,
      Schedule schedule, double serverCpuStart, double generatorCpuStart, int processes, int clients,
      String metric, String counted) {
    Map<String, Double> figures = new HashMap<>();
    String detail;
    double value;
    var best = outcome.best();
    if (best.isPresent()) {
      StepResult b = best.get();
      value = b.deliveredPerSecond();
      figures.put("bestStep", (double) b.step());
      figures.put("p50Ms", b.p50Ms());
      figures.put("p99Ms", b.p99Ms());
      figures.put("messagesPerSecond", b.offeredPerSecond());
      double perCpu = b.deliveriesPerCpuSecond(schedule.stepSeconds());
      figures.put("deliveriesPerServerCpuSecond", perCpu);
      figures.put("bestStepServerCpuSeconds", b.serverCpuSeconds());
      figures.put("bestStepGeneratorCpuSeconds", b.generatorCpuSeconds());
      figures.put("stepSeconds", schedule.stepSeconds());
      detail = String.format("%s; best step %d: %,.0f msg/s in, p99 %.1f ms%s", setup, b.step(),
          b.offeredPerSecond(), b.p99Ms(),
          perCpu > 0 ? String.format(", %,.0f %s per server CPU-s", perCpu, counted) : "");
    } else {
      value = 0;
      StepResult first = outcome.steps().isEmpty() ? null : outcome.steps().get(0);
      detail = setup + "; no step met the bound" + (first == null ? "" : String.format(
          " (step 0: %,.0f msg/s in, p99 %s)", first.offeredPerSecond(),
          first.p99Ms() < 0 ? "over 1% lost" : String.format("%.1f ms", first.p99Ms())));
    }
    figures.put("steps", (double) outcome.steps().size());
    double generatorCpu = ProcessStats.selfCpuSeconds() - generatorCpuStart
        + outcome.reports().stream().skip(1).mapToDouble(PartReport::cpuSeconds).sum();
    int disconnects = outcome.reports().stream().mapToInt(PartReport::disconnects).sum();
    return new ScenarioResult(scenario, ctx.options().server(), metric, "msg/s", value, true, detail,
        serverCpuStart < 0 ? -1 : ctx.serverCpuSeconds() - serverCpuStart,
        generatorCpu, processes, clients, disconnects, outcome.steps(), figures);
  }
}
