package dev.parley.bench;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Delivery latencies in microseconds, kept per ramp step (the step the message was <em>sent</em>
 * in, read from its payload), so that late deliveries of a step still count for that step.
 * Recording is wait-free and may happen on any event loop; reading is done by the coordinator.
 */
public final class StepLatencies {
  /** Largest latency tracked; longer ones are recorded as this. */
  public static final long MAX_MICROS = 120_000_000L;

  private final AtomicReferenceArray<Recorder> recorders;
  /** What has been read out of each recorder so far. Guarded by {@code this}. */
  private final Histogram[] totals;

  public StepLatencies(int maxSteps) {
    this.recorders = new AtomicReferenceArray<>(maxSteps);
    this.totals = new Histogram[maxSteps];
  }

  /** How many steps are tracked. */
  public int maxSteps() {
    return totals.length;
  }

  /** Records one delivery of a message sent in {@code step}; other steps (warm-up) are ignored. */
  public void record(long step, long latencyMicros) {
    if (step < 0 || step >= totals.length) {
      return;
    }
    Recorder recorder = recorders.get((int) step);
    if (recorder == null) {
      recorders.compareAndSet((int) step, null, new Recorder(MAX_MICROS, 3));
      recorder = recorders.get((int) step);
    }
    recorder.recordValue(Math.max(0, Math.min(latencyMicros, MAX_MICROS)));
  }

  /** A copy of everything recorded for {@code step} so far. */
  public synchronized Histogram snapshot(int step) {
    if (totals[step] == null) {
      totals[step] = newHistogram();
    }
    Recorder recorder = recorders.get(step);
    if (recorder != null) {
      totals[step].add(recorder.getIntervalHistogram());
    }
    return totals[step].copy();
  }

  /** An empty histogram with the range used here. */
  public static Histogram newHistogram() {
    return new Histogram(MAX_MICROS, 3);
  }
}
