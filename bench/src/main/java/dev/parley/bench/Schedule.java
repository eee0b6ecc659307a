package dev.parley.bench;

/**
 * When each ramp step runs and at what rate, identical in every generator process so that they
 * need no messages to move from step to step: a warm-up at the first rate (not measured), then
 * steps of equal length whose rate grows by {@code factor} each time.
 *
 * @param startMicros wall-clock start of the warm-up ({@link MicroClock})
 * @param warmupMicros warm-up length
 * @param stepMicros length of each step
 * @param firstRate messages per second of the warm-up and step 0, over all processes
 * @param factor rate growth from one step to the next; 1 keeps the rate constant
 * @param maxSteps number of steps at most
 */
public record Schedule(long startMicros, long warmupMicros, long stepMicros, double firstRate, double factor,
    int maxSteps) {
  /** Step number of the warm-up. */
  public static final int WARMUP = -1;
  /** Step number once the schedule has not started yet. */
  public static final int NOT_STARTED = -2;

  public Schedule {
    if (warmupMicros < 0 || stepMicros <= 0 || firstRate <= 0 || factor < 1 || maxSteps <= 0) {
      throw new IllegalArgumentException("warm-up must not be negative; step length, rate and steps must be "
          + "positive; factor must be at least 1");
    }
  }

  /** This schedule starting at another time. */
  public Schedule startingAt(long micros) {
    return new Schedule(micros, warmupMicros, stepMicros, firstRate, factor, maxSteps);
  }

  /** Messages per second in {@code step} ({@link #WARMUP} runs at the first rate). */
  public double rate(int step) {
    return firstRate * Math.pow(factor, Math.max(0, step));
  }

  /** The step running at {@code micros}; {@link #NOT_STARTED} before, {@code maxSteps} after the end. */
  public int stepAt(long micros) {
    long elapsed = micros - startMicros;
    if (elapsed < 0) {
      return NOT_STARTED;
    }
    if (elapsed < warmupMicros) {
      return WARMUP;
    }
    return (int) Math.min(maxSteps, (elapsed - warmupMicros) / stepMicros);
  }

  /** Wall-clock start of {@code step}. */
  public long stepStart(int step) {
    return step == WARMUP ? startMicros : startMicros + warmupMicros + step * stepMicros;
  }

  /** Wall-clock end of {@code step}. */
  public long stepEnd(int step) {
    return step == WARMUP ? startMicros + warmupMicros : stepStart(step) + stepMicros;
  }

  /** Step length in seconds. */
  public double stepSeconds() {
    return stepMicros / 1e6;
  }
}
