package dev.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.HdrHistogram.Histogram;

/**
 * Drives a ramp from the coordinator: starts every process on one {@link Schedule}, judges each
 * step from the coordinator's own receivers as soon as its deliveries are due, stops after two
 * steps in a row miss the latency bound (four while no step has met it yet, so that a start-up
 * hiccup does not end the ramp), then merges every process's report.
 *
 * <p>A step is judged {@code bound} after it ends: by then every message of the step that has
 * not arrived is later than the bound, so "99% of the expected deliveries arrived within the
 * bound" is exactly "p99 ≤ bound", with lost messages counted as infinitely late.
 */
final class RampRunner {
  private static final long JUDGE_SLACK_MICROS = 50_000;
  /** Misses in a row that end the ramp once a step has met the bound. */
  private static final int FAILS_TO_STOP = 2;
  /** Misses in a row that end it before any step has: early steps absorb start-up hiccups. */
  private static final int FAILS_TO_STOP_UNPROVEN = 4;

  private final BenchContext ctx;
  private final Schedule schedule;
  private final long boundMicros;
  private final LongUnaryOperator expectedForSent;

  /**
   * @param expectedForSent deliveries owed for a number of messages sent by all processes
   */
  RampRunner(BenchContext ctx, Schedule schedule, long boundMicros, LongUnaryOperator expectedForSent) {
    if (boundMicros + JUDGE_SLACK_MICROS >= schedule.stepMicros()) {
      throw new IllegalArgumentException("a step must be longer than the latency bound");
    }
    this.ctx = ctx;
    this.schedule = schedule;
    this.boundMicros = boundMicros;
    this.expectedForSent = expectedForSent;
  }

  /** What the ramp measured: the merged steps and the processes' reports. */
  record Outcome(List<StepResult> steps, List<PartReport> reports) {
    /** The step that delivered most while within the bound; empty if none was. */
    java.util.Optional<StepResult> best() {
      return steps.stream().filter(StepResult::withinBound)
          .max(java.util.Comparator.comparingDouble(StepResult::deliveredPerSecond));
    }
  }

  Outcome run(Team team, RampPart part) throws Exception {
    Schedule s = schedule.startingAt(ctx.clock().micros() + 1_000_000);
    double[] cpu = new double[s.maxSteps()];
    double[] generatorCpu = new double[s.maxSteps()];
    team.start(s.startMicros());
    ctx.sleepUntil(s.stepStart(0));
    double cpuMark = ctx.serverCpuSeconds();
    double generatorMark = ProcessStats.selfCpuSeconds();
    int fails = 0;
    boolean anyPassed = false;
    int last = -1;
    for (int k = 0; k < s.maxSteps(); k++) {
      ctx.sleepUntil(s.stepEnd(k));
      double now = ctx.serverCpuSeconds();
      cpu[k] = cpuMark < 0 ? -1 : now - cpuMark;
      cpuMark = now;
      double generatorNow = ProcessStats.selfCpuSeconds();
      generatorCpu[k] = generatorNow - generatorMark;
      generatorMark = generatorNow;
      ctx.sleepUntil(s.stepEnd(k) + boundMicros + JUDGE_SLACK_MICROS);
      StepResult local = StepResult.of(k, part.sent(k) / s.stepSeconds(), part.expectedDeliveries(k),
          part.latencies().snapshot(k), s.stepSeconds(), boundMicros, cpu[k], generatorCpu[k]);
      ctx.log("local " + local.describe());
      last = k;
      fails = local.withinBound() ? 0 : fails + 1;
      anyPassed |= local.withinBound();
      if (fails >= (anyPassed ? FAILS_TO_STOP : FAILS_TO_STOP_UNPROVEN)) {
        break;
      }
    }
    Duration drain = Duration.ofMillis(Math.max(1_000, 4 * boundMicros / 1000));
    List<PartReport> reports = team.stop(last, drain);
    return new Outcome(merge(reports, last, cpu, generatorCpu), reports);
  }

  private List<StepResult> merge(List<PartReport> reports, int last, double[] cpu, double[] generatorCpu) {
    List<StepResult> steps = new ArrayList<>();
    for (int k = 0; k <= last; k++) {
      Histogram all = StepLatencies.newHistogram();
      long sent = 0;
      for (PartReport report : reports) {
        if (k < report.steps().size()) {
          PartReport.StepPart part = report.steps().get(k);
          all.add(part.histogram());
          sent += part.sent();
        }
      }
      StepResult step = StepResult.of(k, sent / schedule.stepSeconds(), expectedForSent.applyAsLong(sent), all,
          schedule.stepSeconds(), boundMicros, cpu[k], generatorCpu[k]);
      ctx.log("all   " + step.describe());
      steps.add(step);
    }
    return steps;
  }
}
