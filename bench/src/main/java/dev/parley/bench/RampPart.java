package dev.parley.bench;

/** A {@link Part} of a ramp scenario: it sends on the schedule and records latencies per step. */
interface RampPart extends Part {

  /** Latencies of this process's deliveries. */
  StepLatencies latencies();

  /** Messages this process sent in {@code step}. */
  long sent(int step);

  /** Deliveries this process's clients are owed for {@code step}. */
  long expectedDeliveries(int step);

  /** The standard report: sends and latencies of every step up to {@code lastStep}. */
  default PartReport rampReport(int lastStep, int clients, int disconnects) {
    java.util.List<PartReport.StepPart> steps = new java.util.ArrayList<>();
    for (int k = 0; k <= lastStep && k < latencies().maxSteps(); k++) {
      steps.add(PartReport.StepPart.of(k, sent(k), latencies().snapshot(k)));
    }
    return new PartReport(ProcessStats.selfCpuSeconds(), clients, disconnects, steps);
  }
}
