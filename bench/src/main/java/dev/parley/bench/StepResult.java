package dev.parley.bench;

import org.HdrHistogram.Histogram;

/**
 * The measurements of one ramp step.
 *
 * @param step step number, from 0
 * @param offeredPerSecond messages per second the generator sent in this step
 * @param expected deliveries the servers owed for this step's messages
 * @param delivered deliveries received
 * @param deliveredPerSecond deliveries received for this step's messages, per second of step
 * @param p50Ms median delivery latency
 * @param p99Ms 99th percentile delivery latency, counting deliveries that never came as
 *     infinitely late; -1 when more than 1% never came
 * @param maxMs largest latency received
 * @param withinBound whether at least 99% of the expected deliveries arrived within the bound
 * @param serverCpuSeconds server CPU used during the step; -1 when not measured
 * @param generatorCpuSeconds CPU the coordinating generator process used during the step
 */
public record StepResult(int step, double offeredPerSecond, long expected, long delivered, double deliveredPerSecond,
    double p50Ms, double p99Ms, double maxMs, boolean withinBound, double serverCpuSeconds,
    double generatorCpuSeconds) {

  /** Evaluates a step from its latencies. */
  public static StepResult of(int step, double offeredPerSecond, long expected, Histogram latencies,
      double stepSeconds, long boundMicros, double serverCpuSeconds, double generatorCpuSeconds) {
    long delivered = latencies.getTotalCount();
    long rank99 = (long) Math.ceil(0.99 * expected);
    boolean within = expected > 0 && latencies.getCountBetweenValues(0, boundMicros) >= rank99;
    double p99Ms;
    if (expected == 0 || rank99 > delivered) {
      p99Ms = -1;
    } else {
      p99Ms = latencies.getValueAtPercentile(100.0 * rank99 / delivered) / 1000.0;
    }
    return new StepResult(step, offeredPerSecond, expected, delivered, delivered / stepSeconds,
        latencies.getValueAtPercentile(50) / 1000.0, p99Ms, latencies.getMaxValue() / 1000.0, within,
        serverCpuSeconds, generatorCpuSeconds);
  }

  /** Deliveries per server CPU-second, or -1 when CPU was not measured. */
  public double deliveriesPerCpuSecond(double stepSeconds) {
    return serverCpuSeconds > 0 ? deliveredPerSecond * stepSeconds / serverCpuSeconds : -1;
  }

  /** One line for the progress log. */
  public String describe() {
    return String.format("step %2d: offered %,9.0f msg/s, delivered %,10.0f/s (%,d of %,d), p50 %.2f ms, p99 %s, "
        + "max %.1f ms, CPU s server %.2f generator %.2f%s",
        step, offeredPerSecond, deliveredPerSecond, delivered, expected, p50Ms,
        p99Ms < 0 ? ">1% lost" : String.format("%.2f ms", p99Ms), maxMs, serverCpuSeconds, generatorCpuSeconds,
        withinBound ? "" : "  (over bound)");
  }
}
