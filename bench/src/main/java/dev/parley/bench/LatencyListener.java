package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records the latency of every received event named {@code name} into per-step latencies, from
 * the timestamp and step in its payload; counts closed clients.
 */
final class LatencyListener implements ClientListener {
  private final byte[] prefix;
  private final StepLatencies latencies;
  private final MicroClock clock;
  private final AtomicInteger closed = new AtomicInteger();
  /** Events that had no timestamp: a server that changed the payload. Any thread. */
  private final AtomicInteger unreadable = new AtomicInteger();

  LatencyListener(String name, StepLatencies latencies, MicroClock clock) {
    this.prefix = PayloadScanner.eventPrefix(name);
    this.latencies = latencies;
    this.clock = clock;
  }

  @Override
  public void onEvent(BenchClient client, ByteBuf frame) {
    if (!PayloadScanner.startsWith(frame, prefix)) {
      return;
    }
    long sentAt = PayloadScanner.longField(frame, PayloadScanner.TIMESTAMP);
    long step = PayloadScanner.longField(frame, PayloadScanner.STEP);
    if (sentAt == PayloadScanner.ABSENT || step == PayloadScanner.ABSENT) {
      unreadable.incrementAndGet();
      return;
    }
    latencies.record(step, clock.micros() - sentAt);
  }

  @Override
  public void onClosed(BenchClient client) {
    closed.incrementAndGet();
  }

  /** Clients closed so far. */
  int closed() {
    return closed.get();
  }

  /** Events seen without a readable timestamp. */
  int unreadable() {
    return unreadable.get();
  }
}
