package dev.parley.bench;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch, for latencies measured across processes.
 *
 * <p>{@link System#nanoTime()} has no common origin between processes, so a timestamp written
 * into a payload by one generator process could not be compared by another. {@link #wall()}
 * anchors {@code nanoTime} to the wall clock once per process: reads are as cheap as
 * {@code nanoTime}, never go backwards, and agree between processes on this machine to within
 * the anchor's error (a few microseconds).
 */
@FunctionalInterface
public interface MicroClock {

  /** Microseconds since 1970-01-01T00:00:00Z. */
  long micros();

  /** The process-wide anchored wall clock. */
  static MicroClock wall() {
    return AnchoredWallClock.INSTANCE;
  }

  /** Holds the anchor; created once, on first use. */
  final class AnchoredWallClock implements MicroClock {
    static final AnchoredWallClock INSTANCE = new AnchoredWallClock();

    private final long baseMicros;
    private final long baseNanos;

    private AnchoredWallClock() {
      Instant now = Instant.now();
      this.baseNanos = System.nanoTime();
      this.baseMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @Override
    public long micros() {
      return baseMicros + (System.nanoTime() - baseNanos) / 1_000;
    }
  }
}
