package dev.parley.socketio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps sessions and packets in memory for {@code window}, as Node.js Socket.IO does. Packets are
 * trimmed as new ones are recorded; sessions as others are persisted. Offsets are
 * {@code <epoch>-<counter>}: an offset from another process (another epoch) does not recover.
 */
public final class InMemorySessionStore implements SessionStore {
  private record Entry(BroadcastOptions target, StoredPacket packet, Instant at) {}

  private final Duration window;
  private final Clock clock;
  private final String epoch = Long.toString(System.nanoTime() & 0xffffffffL, 36) + EngineServer.newId().substring(0, 4);
  private final AtomicLong counter = new AtomicLong();
  /** The highest offset counter trimmed away. */
  private final AtomicLong trimmedUpTo = new AtomicLong();
  private final ConcurrentSkipListMap<Long, Entry> packets = new ConcurrentSkipListMap<>();
  private final Map<String, PersistedSession> sessions = new ConcurrentHashMap<>();

  /** A store that keeps what is younger than {@code window}. */
  public InMemorySessionStore(Duration window) {
    this(window, Clock.systemUTC());
  }

  /** A store with an explicit clock, for tests. */
  public InMemorySessionStore(Duration window, Clock clock) {
    this.window = window;
    this.clock = clock;
  }

  @Override
  public String nextOffset() {
    return epoch + "-" + Long.toString(counter.incrementAndGet(), 36);
  }

  @Override
  public void record(String offset, BroadcastOptions target, StoredPacket packet) {
    Instant now = clock.instant();
    packets.put(counterOf(offset), new Entry(target, packet, now));
    Instant oldest = now.minus(window);
    while (true) {
      Map.Entry<Long, Entry> first = packets.firstEntry();
      if (first == null || !first.getValue().at().isBefore(oldest)) {
        break;
      }
      if (packets.remove(first.getKey(), first.getValue())) {
        trimmedUpTo.accumulateAndGet(first.getKey(), Math::max);
      }
    }
  }

  @Override
  public void persist(PersistedSession session) {
    Instant oldest = clock.instant().minus(window);
    sessions.values().removeIf(s -> s.disconnectedAt().isBefore(oldest));
    sessions.put(session.pid(), session);
  }

  @Override
  public CompletionStage<Optional<RecoveredSession>> restore(String pid, String offset) {
    PersistedSession session = sessions.remove(pid);
    if (session == null || session.disconnectedAt().isBefore(clock.instant().minus(window))) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    long after;
    try {
      after = offset.startsWith(epoch + "-") ? counterOf(offset) : -1;
    } catch (NumberFormatException e) {
      after = -1;
    }
    if (after < 0) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (after < trimmedUpTo.get()) {
      // Packets after the offset were trimmed: what the client missed is not all here.
      return CompletableFuture.completedFuture(Optional.empty());
    }
    List<StoredPacket> missed = new ArrayList<>();
    for (Entry entry : packets.tailMap(after, false).values()) {
      if (entry.target().matches(session.rooms())) {
        missed.add(entry.packet());
      }
    }
    return CompletableFuture.completedFuture(Optional.of(new RecoveredSession(session, missed)));
  }

  private static long counterOf(String offset) {
    return Long.parseLong(offset.substring(offset.lastIndexOf('-') + 1), 36);
  }
}
