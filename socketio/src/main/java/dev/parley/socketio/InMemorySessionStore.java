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
  /** The counter of the last packet recorded; packets are recorded in counter order. */
  private final AtomicLong recordedUpTo = new AtomicLong();
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

  /** The offset of the last packet recorded: {@link #since} it is what comes after now. */
  public String lastRecordedOffset() {
    return epoch + "-" + Long.toString(recordedUpTo.get(), 36);
  }

  @Override
  public void record(String offset, BroadcastOptions target, StoredPacket packet) {
    Instant now = clock.instant();
    long at = counterOf(offset);
    packets.put(at, new Entry(target, packet, now));
    recordedUpTo.accumulateAndGet(at, Math::max);
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
    long after = ownCounter(offset);
    if (after < 0) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (after < trimmedUpTo.get()) {
      // Packets after the offset were trimmed: what the client missed is not all here.
      return CompletableFuture.completedFuture(Optional.empty());
    }
    // Packets recorded while this runs are left to since(upTo): a concurrent iteration could see
    // a later one and not an earlier one.
    long upTo = recordedUpTo.get();
    List<StoredPacket> missed = upTo > after ? matching(packets.subMap(after, false, upTo, true), session.rooms())
        : List.of();
    return CompletableFuture.completedFuture(Optional.of(
        new RecoveredSession(session, missed, epoch + "-" + Long.toString(Math.max(after, upTo), 36))));
  }

  @Override
  public List<StoredPacket> since(String offset, java.util.Set<String> rooms) {
    long after = ownCounter(offset);
    return after < 0 ? List.of() : matching(packets.tailMap(after, false), rooms);
  }

  private static List<StoredPacket> matching(Map<Long, Entry> entries, java.util.Set<String> rooms) {
    List<StoredPacket> found = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.target().matches(rooms)) {
        found.add(entry.packet());
      }
    }
    return found;
  }

  /** The counter of an offset this store made, or -1. */
  private long ownCounter(String offset) {
    try {
      return offset.startsWith(epoch + "-") ? counterOf(offset) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long counterOf(String offset) {
    return Long.parseLong(offset.substring(offset.lastIndexOf('-') + 1), 36);
  }
}
