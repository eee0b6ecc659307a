package dev.parley.server.store;

import java.time.Clock;
import java.util.Objects;

/**
 * Makes unique, time-ordered 64-bit ids without asking the database, so several nodes can
 * insert into one PostgreSQL store: 41 bits of milliseconds since {@link #EPOCH_MILLIS}, 10 bits
 * of node id, 12 bits of counter. Ids from one generator strictly increase; ids from different
 * nodes never collide as long as each node has its own node id. Thread-safe.
 */
public final class IdGenerator {
  /** 2024-01-01T00:00:00Z. Counting from here, 41 bits of milliseconds last until 2093. */
  public static final long EPOCH_MILLIS = 1_704_067_200_000L;

  static final int NODE_BITS = 10;
  static final int COUNTER_BITS = 12;
  public static final int MAX_NODE_ID = (1 << NODE_BITS) - 1;
  static final int MAX_COUNTER = (1 << COUNTER_BITS) - 1;

  private final long nodeId;
  private final Clock clock;

  /** Guarded by this. Milliseconds since the epoch of the last id; never decreases. */
  private long lastMillis = -1;
  /** Guarded by this. The counter of the last id within {@link #lastMillis}. */
  private int counter;

  public IdGenerator(int nodeId) {
    this(nodeId, Clock.systemUTC());
  }

  public IdGenerator(int nodeId, Clock clock) {
    if (nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw new IllegalArgumentException("nodeId must be between 0 and " + MAX_NODE_ID + ", was " + nodeId);
    }
    this.nodeId = nodeId;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The next id, greater than every id this generator made before. */
  public synchronized long next() {
    long now = clock.millis() - EPOCH_MILLIS;
    if (now < 0) {
      throw new IllegalStateException("the clock reads before " + EPOCH_MILLIS + " ms: cannot make ids");
    }
    if (now > lastMillis) {
      lastMillis = now;
      counter = 0;
    } else if (counter < MAX_COUNTER) {
      // The same millisecond, or the clock stepped back: stay on the last millisecond.
      counter++;
    } else {
      // 4,096 ids in one millisecond: borrow the next one rather than wait for it. The clock
      // catches up as soon as the rate drops below 4 million ids a second.
      lastMillis++;
      counter = 0;
    }
    return lastMillis << (NODE_BITS + COUNTER_BITS) | nodeId << COUNTER_BITS | counter;
  }

  /** When an id was made, in milliseconds since the Unix epoch. */
  public static long millisOf(long id) {
    return (id >>> (NODE_BITS + COUNTER_BITS)) + EPOCH_MILLIS;
  }

  /** The node that made an id. */
  public static int nodeOf(long id) {
    return (int) (id >>> COUNTER_BITS) & MAX_NODE_ID;
  }
}
