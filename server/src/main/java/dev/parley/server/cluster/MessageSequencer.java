package dev.parley.server.cluster;

import dev.parley.server.chat.ChatStore;
import dev.parley.server.chat.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the messages of the whole cluster on this node in id order, each once. Message ids
 * are dense and follow commit order (see {@code message_clock}), so when a later id arrives first
 * the ones before it are committed somewhere: they are held for {@code hold}, the time another
 * node's publish may take, then read from the store. The store is also asked every so often for
 * its newest id, more often while Redis is away, so a message whose publish was lost is
 * delivered even when nothing follows it. Every room's messages thus reach this node's clients in
 * seq order, and a recovery offset that names message N means "everything up to N" on every
 * node.
 *
 * <p>Messages come from this node's writer and from the other nodes, on any thread; delivery,
 * and the store reads, run on the sequencer's own thread.
 */
public final class MessageSequencer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageSequencer.class);
  /** Messages held at most while a hole is open; beyond that, the newest are read again later. */
  static final int MAX_PENDING = 50_000;
  /** Messages read from the store at once to fill a hole. */
  static final int FILL_BATCH = 1_000;

  private final ChatStore store;
  private final Consumer<Message> deliver;
  private final Duration hold;
  private final Duration poll;
  private final Duration fastPoll;
  private final BooleanSupplier busUp;
  private final BlockingQueue<List<Message>> inbox = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  // Owned by the sequencer thread (set before it starts):
  /** The id of the last message delivered, or skipped as before the start. */
  private long delivered;
  /** Messages received beyond the next one to deliver, by id. */
  private final TreeMap<Long, Message> pending = new TreeMap<>();
  /** The newest id the store is known to hold. */
  private long knownLast;
  /** When the current hole was first seen, in nanos; 0 while there is none. */
  private long holeSince;
  private long nextPollAt;

  /**
   * A sequencer that hands each message to {@code deliver}, starting after the newest message
   * the store holds now. Blocks while it reads that.
   *
   * @param hold how long a hole may wait for its messages to arrive before they are read
   * @param poll how often the store is asked for its newest id while Redis is up
   * @param fastPoll how often while it is not
   * @param busUp whether Redis is up
   */
  public MessageSequencer(ChatStore store, Consumer<Message> deliver, Duration hold, Duration poll,
      Duration fastPoll, BooleanSupplier busUp) {
    this.store = store;
    this.deliver = deliver;
    this.hold = hold;
    this.poll = poll;
    this.fastPoll = fastPoll;
    this.busUp = busUp;
    this.delivered = store.lastMessageId();
    this.knownLast = delivered;
    this.thread = new Thread(this::run, "message-sequencer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Takes messages in, from this node's writer or from another node; never blocks. */
  public void offer(List<Message> messages) {
    if (!messages.isEmpty()) {
      inbox.add(messages);
    }
  }

  private void run() {
    // After close(), what is already in the inbox is still delivered (a graceful stop's last batch).
    while (running || !inbox.isEmpty()) {
      try {
        List<Message> in = inbox.poll(20, TimeUnit.MILLISECONDS);
        while (in != null) {
          take(in);
          in = inbox.poll();
        }
        deliverReady();
        long now = System.nanoTime();
        if (now >= nextPollAt) {
          nextPollAt = now + (busUp.getAsBoolean() ? poll : fastPoll).toNanos();
          pollStore();
        }
        if (pending.isEmpty() && knownLast <= delivered) {
          holeSince = 0;
        } else if (holeSince == 0) {
          holeSince = now;
        } else if (now - holeSince >= hold.toNanos()) {
          fill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("message sequencer step failed", e);
      }
    }
  }

  private void take(List<Message> messages) {
    for (Message m : messages) {
      if (m.id() > delivered) {
        pending.put(m.id(), m);
      }
    }
    while (pending.size() > MAX_PENDING) {
      // Too much held behind a hole: keep the oldest, read the rest again once it fills.
      Map.Entry<Long, Message> newest = pending.pollLastEntry();
      knownLast = Math.max(knownLast, newest.getKey());
    }
  }

  private void deliverReady() {
    while (!pending.isEmpty() && pending.firstKey() == delivered + 1) {
      Message m = pending.pollFirstEntry().getValue();
      delivered = m.id();
      knownLast = Math.max(knownLast, m.id());
      try {
        deliver.accept(m);
      } catch (RuntimeException e) {
        log.error("delivering message {} failed", m.id(), e);
      }
    }
    if (pending.isEmpty() && knownLast <= delivered) {
      holeSince = 0;
    }
  }

  private void pollStore() {
    try {
      knownLast = Math.max(knownLast, store.lastMessageId());
    } catch (RuntimeException e) {
      log.debug("newest message id not read: {}", e.toString());
    }
  }

  /** Reads the messages of the open hole from the store and delivers what it can. */
  private void fill() {
    long upTo = pending.isEmpty() ? knownLast : pending.firstKey() - 1;
    int want = (int) Math.min(FILL_BATCH, Math.max(1, upTo - delivered));
    List<Message> found;
    try {
      found = store.messagesAfter(delivered, want);
    } catch (RuntimeException e) {
      log.debug("a hole after message {} could not be read yet: {}", delivered, e.toString());
      holeSince = System.nanoTime();
      return;
    }
    if (found.isEmpty() || found.get(0).id() > delivered + 1) {
      // Ids the store does not hold (none should be missing): go on from what it does hold.
      long resume = found.isEmpty() ? (pending.isEmpty() ? knownLast : pending.firstKey()) : found.get(0).id();
      log.warn("messages {}-{} are not in the store; delivering on from {}", delivered + 1, resume - 1, resume);
      delivered = resume - 1;
    }
    take(found);
    deliverReady();
    holeSince = pending.isEmpty() && knownLast <= delivered ? 0 : System.nanoTime();
  }

  /**
   * Stops after delivering what was handed in so far and can be delivered in order; anything
   * behind a hole is left to recovery and sync.
   */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
