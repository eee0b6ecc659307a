package dev.parley.bench;

import java.util.BitSet;

/**
 * What one client received of one room across its connections: which seqs (once, or more), and
 * when it had everything it missed while it was away.
 *
 * <p>A client that reconnected at time R has caught up once it holds every message sent before
 * R: its catch-up time is when the last of those arrived (or R itself, if it had missed nothing),
 * and it is <em>live</em> once a message sent after R arrives with no seq missing before it.
 *
 * <p>A room's messages arrive in seq order, so a seq missing below the highest one received is
 * <em>lost</em> (something later came instead), while seqs above it may still be on their way
 * (the client is <em>behind</em>). Thread-safe: the client's event loop records, the scenario
 * reads.
 */
final class SeqTracker {
  /** Seqs this far below the first one received are still tracked (a late, out-of-order one). */
  private static final int MARGIN = 1024;

  /** The seq of bit 0; -1 until the first message. */
  private long origin = -1;
  private final BitSet seen = new BitSet();
  private long lowest = Long.MAX_VALUE;
  private long highest = -1;
  private long duplicates;
  /** Messages older than {@code origin}: received, but too far out of order to track. */
  private long untracked;
  private long reconnectedAt = -1;
  private long lastMissedArrival = -1;
  private long liveAt = -1;

  /** The client's new connection was accepted at {@code micros}. */
  synchronized void reconnected(long micros) {
    reconnectedAt = micros;
    lastMissedArrival = -1;
    liveAt = -1;
  }

  /**
   * A message with {@code seq}, sent at {@code sentMicros} ({@link PayloadScanner#ABSENT} if
   * unknown), arrived at {@code nowMicros}.
   */
  synchronized void record(long seq, long sentMicros, long nowMicros) {
    if (origin < 0) {
      origin = Math.max(0, seq - MARGIN);
    }
    if (seq < origin || seq - origin > Integer.MAX_VALUE - 1) {
      untracked++;
      return;
    }
    int bit = (int) (seq - origin);
    if (seen.get(bit)) {
      duplicates++;
      return;
    }
    seen.set(bit);
    lowest = Math.min(lowest, seq);
    highest = Math.max(highest, seq);
    if (reconnectedAt < 0 || sentMicros == PayloadScanner.ABSENT) {
      return;
    }
    if (sentMicros < reconnectedAt) {
      lastMissedArrival = Math.max(lastMissedArrival, nowMicros);
    } else if (liveAt < 0 && seen.nextClearBit((int) (lowest - origin)) > bit) {
      liveAt = nowMicros;
    }
  }

  /** Whether it reconnected and has received, without a hole, a message sent after that. */
  synchronized boolean live() {
    return liveAt >= 0;
  }

  /** Whether it reconnected. */
  synchronized boolean reconnected() {
    return reconnectedAt >= 0;
  }

  /**
   * Microseconds from {@code dropMicros} until it had reconnected and received everything sent
   * before it reconnected; -1 if it did not reconnect.
   */
  synchronized long catchUpMicros(long dropMicros) {
    if (reconnectedAt < 0) {
      return -1;
    }
    return Math.max(reconnectedAt, lastMissedArrival) - dropMicros;
  }

  /** How many seqs of {@code from..to} (inclusive) are missing below the highest seq received. */
  synchronized long lost(long from, long to) {
    long last = Math.min(to, highest);
    long lost = 0;
    for (long seq = from; seq <= last; seq++) {
      if (seq < origin || seq - origin > Integer.MAX_VALUE - 1 || !seen.get((int) (seq - origin))) {
        lost++;
      }
    }
    return lost;
  }

  /** How many seqs of {@code from..to} (inclusive) are above the highest received: not here yet. */
  synchronized long behind(long from, long to) {
    return Math.max(0, to - Math.max(highest, from - 1));
  }

  /** Messages received more than once. */
  synchronized long duplicates() {
    return duplicates;
  }

  /** Messages received too far out of order to be tracked. */
  synchronized long untracked() {
    return untracked;
  }
}
