package dev.parley.server.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit writer: one thread drains a bounded queue of messages, stores each batch in
 * one transaction, then hands the batch's new messages, in order, to {@code onCommitted} (which
 * delivers them) and completes each sender's future (which acknowledges it). A message is thus
 * acknowledged and delivered only once it is committed, and each room's messages are delivered in
 * seq order. When the queue is full, {@link #submit} fails at once with {@code overloaded}: a
 * send is refused, never dropped silently.
 */
public final class MessageWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);

  /** Observes the writer, for metrics. */
  public interface Observer {
    default void committed(int batchSize, long nanos) {}

    default void failed(int batchSize) {}
  }

  private record Pending(NewMessage message, CompletableFuture<Message> future) {}

  private final ChatStore store;
  private final BlockingQueue<Pending> queue;
  private final int maxBatch;
  private final Consumer<List<Message>> onCommitted;
  private final Observer observer;
  private final Thread thread;
  /** Whether submit still accepts; cleared by close(). */
  private volatile boolean accepting = true;
  /** The highest seq handed to onCommitted per room, to skip retried sends. Writer thread only. */
  private final java.util.Map<Long, Long> delivered = new java.util.HashMap<>();

  public MessageWriter(ChatStore store, int queueCapacity, int maxBatch, Consumer<List<Message>> onCommitted,
      Observer observer) {
    if (queueCapacity <= 0 || maxBatch <= 0) {
      throw new IllegalArgumentException("queue capacity and batch size must be positive");
    }
    this.store = store;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.maxBatch = maxBatch;
    this.onCommitted = onCommitted;
    this.observer = observer;
    this.thread = new Thread(this::run, "message-writer");
    this.thread.setDaemon(false);
    this.thread.start();
  }

  /**
   * Queues a message. The future completes with the stored message once committed (the earlier
   * one for a retried {@code clientMsgId}), or fails with a {@link ChatException}: {@code
   * overloaded} when the queue is full, {@code internal} when the store fails.
   */
  public CompletableFuture<Message> submit(NewMessage message) {
    CompletableFuture<Message> future = new CompletableFuture<>();
    if (!accepting) {
      future.completeExceptionally(new ChatException(ChatException.Code.OVERLOADED, "server is shutting down"));
    } else if (!queue.offer(new Pending(message, future))) {
      future.completeExceptionally(new ChatException(ChatException.Code.OVERLOADED,
          "too many messages waiting to be stored; retry later with the same clientMsgId"));
    }
    return future;
  }

  /** Messages waiting to be stored. */
  public int backlog() {
    return queue.size();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (accepting || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("message writer failed on a batch of {}", batch.size(), e);
        for (Pending p : batch) {
          p.future().completeExceptionally(new ChatException(ChatException.Code.INTERNAL, "message not stored"));
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Pending> batch) {
    List<NewMessage> messages = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      messages.add(p.message());
    }
    long start = System.nanoTime();
    List<Message> stored;
    try {
      stored = store.append(messages);
    } catch (StoreException.Unavailable e) {
      // The database is away: no message of the batch is at fault, and trying them one by one
      // would only wait for it once per message. Each sender may retry with its clientMsgId.
      observer.failed(batch.size());
      log.warn("could not store a batch of {} messages: {}", batch.size(), e.getMessage());
      for (Pending p : batch) {
        p.future().completeExceptionally(new ChatException(ChatException.Code.UNAVAILABLE,
            "the database cannot be reached; retry later with the same clientMsgId"));
      }
      return;
    } catch (StoreException e) {
      observer.failed(batch.size());
      log.warn("could not store a batch of {} messages: {}", batch.size(), e.getMessage());
      if (batch.size() > 1) {
        // One message the store refuses must not fail the others: store them one by one.
        for (Pending p : batch) {
          write(List.of(p));
        }
        return;
      }
      batch.get(0).future().completeExceptionally(
          new ChatException(ChatException.Code.INTERNAL, "the message could not be stored; retry later"));
      return;
    }
    observer.committed(batch.size(), System.nanoTime() - start);
    List<Message> fresh = new ArrayList<>(stored.size());
    for (Message m : stored) {
      Long last = delivered.get(m.roomId());
      if (last == null || m.seq() > last) {
        delivered.put(m.roomId(), m.seq());
        fresh.add(m);
      }
    }
    if (!fresh.isEmpty()) {
      try {
        onCommitted.accept(fresh);
      } catch (RuntimeException e) {
        log.error("delivering messages {}-{} failed", fresh.get(0).id(), fresh.get(fresh.size() - 1).id(), e);
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).future().complete(stored.get(i));
    }
  }

  /** Stops accepting, stores what is queued, and waits for the writer to finish. */
  @Override
  public void close() {
    accepting = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
