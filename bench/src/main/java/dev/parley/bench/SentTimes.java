package dev.parley.bench;

/**
 * When each request of one client that still awaits its acknowledgement was sent, and in which
 * ramp step, by ack id: the chat scenarios send thousands of requests a second and measure each
 * until its ack, without a future or a map entry per request.
 *
 * <p>A ring of {@code capacity} slots indexed by ack id: ids are taken in order, so a slot is
 * only reused after {@code capacity} later requests; an ack that comes after its slot was reused
 * is not found (and counted by the caller as lost). Confined to the client's event loop.
 */
final class SentTimes {
  private final long[] ids;
  private final long[] micros;
  private final int[] steps;
  private final int mask;
  /** What {@link #take} found last. */
  private long takenMicros;
  private int takenStep;

  SentTimes(int capacity) {
    if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    this.ids = new long[capacity];
    this.micros = new long[capacity];
    this.steps = new int[capacity];
    this.mask = capacity - 1;
    java.util.Arrays.fill(ids, -1);
  }

  /** Notes that the request with {@code ackId} left at {@code sentMicros} in {@code step}. */
  void sent(long ackId, int step, long sentMicros) {
    int slot = (int) (ackId & mask);
    ids[slot] = ackId;
    micros[slot] = sentMicros;
    steps[slot] = step;
  }

  /**
   * Takes the request with {@code ackId}: true if it was waiting, and then {@link #takenMicros()}
   * and {@link #takenStep()} say when and in which step it was sent. False for an id never sent,
   * already taken, or overwritten.
   */
  boolean take(long ackId) {
    int slot = (int) (ackId & mask);
    if (ids[slot] != ackId) {
      return false;
    }
    ids[slot] = -1;
    takenMicros = micros[slot];
    takenStep = steps[slot];
    return true;
  }

  long takenMicros() {
    return takenMicros;
  }

  int takenStep() {
    return takenStep;
  }
}
