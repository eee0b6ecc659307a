package dev.parley.bench;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sends at the rate of a {@link Schedule}, open loop: every millisecond it sends whatever is due
 * since the step began, whether or not the server keeps up, so that a slow server shows up as
 * latency rather than as a slower sender.
 */
public final class Pacer {
  /** Most messages sent in one tick, so that a stall is not followed by an unbounded burst. */
  private static final int MAX_PER_TICK = 20_000;

  private final EventLoop loop;
  private final MicroClock clock;
  private final Schedule schedule;
  private final double share;
  private final MessageSource source;
  private final AtomicLongArray sent;
  /** Messages sent in the warm-up. Only accessed by the event loop. */
  private long warmupSent;
  /** Last step to send in; lowered by {@link #stopAfter}. Any thread. */
  private volatile int lastStep;
  /** Null until started. Written by the starting thread. */
  private volatile ScheduledFuture<?> ticks;

  /**
   * @param share the fraction of the schedule's rate this process sends (its share of senders)
   */
  public Pacer(EventLoop loop, MicroClock clock, Schedule schedule, double share, MessageSource source) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("share must be between 0 and 1: " + share);
    }
    this.loop = loop;
    this.clock = clock;
    this.schedule = schedule;
    this.share = share;
    this.source = source;
    this.sent = new AtomicLongArray(schedule.maxSteps());
    this.lastStep = schedule.maxSteps() - 1;
  }

  /** Starts ticking; nothing is sent before the schedule's start time. */
  public void start() {
    if (share > 0) {
      ticks = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
    }
  }

  /** Sends nothing after {@code step}. */
  public void stopAfter(int step) {
    lastStep = Math.min(lastStep, step);
  }

  /** Stops ticking. */
  public void stop() {
    stopAfter(Schedule.WARMUP);
    ScheduledFuture<?> t = ticks;
    if (t != null) {
      t.cancel(false);
    }
  }

  /** Messages this process sent in {@code step}. */
  public long sent(int step) {
    return sent.get(step);
  }

  private void tick() {
    long now = clock.micros();
    int step = schedule.stepAt(now);
    if (step == Schedule.NOT_STARTED) {
      return;
    }
    if (step > lastStep || step >= schedule.maxSteps()) {
      stop();
      return;
    }
    double elapsedSeconds = (now - schedule.stepStart(step)) / 1e6;
    long due = (long) (schedule.rate(step) * share * elapsedSeconds);
    long already = step == Schedule.WARMUP ? warmupSent : sent.get(step);
    int count = (int) Math.min(MAX_PER_TICK, due - already);
    if (count <= 0) {
      return;
    }
    source.send(step, count, now);
    if (step == Schedule.WARMUP) {
      warmupSent += count;
    } else {
      sent.addAndGet(step, count);
    }
  }
}
