package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records the latency of every received event named {@code name} into per-step latencies, from
 * the timestamp and step in its payload (fields {@code t} and {@code s} of the tutorial
 * scenarios, or the start of the text of the chat scenarios); counts closed clients.
 */
final class LatencyListener implements ClientListener {
  private final byte[] prefix;
  private final byte[] timestampKey;
  private final byte[] stepKey;
  private final StepLatencies latencies;
  private final MicroClock clock;
  private final AtomicInteger closed = new AtomicInteger();
  /** Events that had no timestamp: a server that changed the payload. Any thread. */
  private final AtomicInteger unreadable = new AtomicInteger();

  LatencyListener(String name, StepLatencies latencies, MicroClock clock) {
    this(PayloadScanner.eventPrefix(name), PayloadScanner.TIMESTAMP, PayloadScanner.STEP, latencies, clock);
  }

  /** Events starting with {@code prefix}, stamped with integers after {@code timestampKey} and {@code stepKey}. */
  LatencyListener(byte[] prefix, byte[] timestampKey, byte[] stepKey, StepLatencies latencies, MicroClock clock) {
    this.prefix = prefix;
    this.timestampKey = timestampKey;
    this.stepKey = stepKey;
    this.latencies = latencies;
    this.clock = clock;
  }

  /** {@code message} events of the chat server's {@code /chat}, stamped by {@link Payloads#chatText}. */
  static LatencyListener chatMessages(StepLatencies latencies, MicroClock clock) {
    return new LatencyListener(PayloadScanner.eventPrefix("/chat", "message"), PayloadScanner.TEXT_TIMESTAMP,
        PayloadScanner.TEXT_STEP, latencies, clock);
  }

  @Override
  public void onEvent(BenchClient client, ByteBuf frame) {
    if (!PayloadScanner.startsWith(frame, prefix)) {
      return;
    }
    long sentAt = PayloadScanner.longField(frame, timestampKey);
    long step = PayloadScanner.longField(frame, stepKey);
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
