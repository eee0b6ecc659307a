package dev.parley.socketio;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;

/**
 * Flushes each connection once per batch of writes. Code on an event loop writes without flushing
 * and registers the connection here; the first registration in a batch queues one task on that
 * loop, which runs after every task already queued (for example, the rest of a burst of
 * broadcasts) and flushes every registered connection once. One instance per event-loop thread,
 * touched only by that thread.
 */
final class Flusher implements Runnable {
  /** Something with writes to flush. Registers itself at most once per batch. */
  interface Target {
    void flushNow();
  }

  private static final FastThreadLocal<Flusher> CURRENT = new FastThreadLocal<>();

  private final EventLoop loop;
  /** Targets written since the last flush. Only accessed by {@link #loop}. */
  private List<Target> dirty = new ArrayList<>();
  /** Spare list swapped in while flushing. Only accessed by {@link #loop}. */
  private List<Target> spare = new ArrayList<>();
  /** Whether a flush task is queued. Only accessed by {@link #loop}. */
  private boolean scheduled;

  private Flusher(EventLoop loop) {
    this.loop = loop;
  }

  /** Calls {@code target.flushNow()} on {@code loop} after the tasks already queued there. */
  static void flushLater(EventLoop loop, Target target) {
    if (loop.inEventLoop()) {
      forCurrent(loop).add(target);
    } else {
      loop.execute(() -> forCurrent(loop).add(target));
    }
  }

  private static Flusher forCurrent(EventLoop loop) {
    Flusher flusher = CURRENT.get();
    // A thread may serve more than one loop (EmbeddedEventLoop runs on its caller's thread): a
    // flusher made for another loop would queue this flush where nobody runs it.
    if (flusher == null || flusher.loop != loop) {
      flusher = new Flusher(loop);
      CURRENT.set(flusher);
    }
    return flusher;
  }

  private void add(Target target) {
    dirty.add(target);
    if (!scheduled) {
      scheduled = true;
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled = false;
    List<Target> batch = dirty;
    dirty = spare;
    for (int i = 0, n = batch.size(); i < n; i++) {
      batch.get(i).flushNow();
    }
    batch.clear();
    spare = batch;
  }
}
