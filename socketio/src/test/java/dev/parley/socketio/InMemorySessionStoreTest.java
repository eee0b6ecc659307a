package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connection-state recovery kept in memory, on a fake clock: a session comes back once, with the
 * packets recorded after the client's offset that were meant for its rooms, in order; never when
 * it expired, when some of what it missed was trimmed, or with an offset of another store.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InMemorySessionStoreTest {
  private static final Duration WINDOW = Duration.ofMinutes(2);

  private final FakeClock clock = new FakeClock();
  private final InMemorySessionStore store = new InMemorySessionStore(WINDOW, clock);

  /** A clock that moves only when told. */
  private static final class FakeClock extends Clock {
    private Instant now = Instant.parse("2025-03-01T12:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static BroadcastOptions to(String... rooms) {
    return new BroadcastOptions(Set.of(rooms), Set.of(), false, false);
  }

  private static BroadcastOptions except(String... rooms) {
    return new BroadcastOptions(Set.of(), Set.of(rooms), false, false);
  }

  private static StoredPacket packet(String name) {
    return new StoredPacket("2[\"" + name + "\"]", List.of());
  }

  /** Reserves an offset and records {@code name} under it. */
  private String record(BroadcastOptions target, String name) {
    String offset = store.nextOffset();
    store.record(offset, target, packet(name));
    return offset;
  }

  private PersistedSession persist(String sid, String pid, String... rooms) {
    PersistedSession session = new PersistedSession(sid, pid, Set.of(rooms), Map.of("user", "ada"), clock.instant());
    store.persist(session);
    return session;
  }

  private Optional<RecoveredSession> restore(String pid, String offset) {
    return store.restore(pid, offset).toCompletableFuture().join();
  }

  private static List<String> texts(RecoveredSession recovered) {
    return recovered.missed().stream().map(StoredPacket::text).toList();
  }

  @Test
  void restoresThePacketsAfterTheOffsetMeantForTheSessionsRooms() {
    String seen = record(to("room-a"), "seen");
    record(to("room-b"), "other room");
    record(BroadcastOptions.ALL, "everyone");
    record(except("room-a"), "all but room-a");
    record(to("s1"), "to the socket itself");
    record(new BroadcastOptions(Set.of("room-a"), Set.of("s1"), false, false), "its own broadcast");
    record(to("room-b", "room-a"), "either room");
    PersistedSession persisted = persist("s1", "p1", "s1", "room-a");

    Optional<RecoveredSession> recovered = restore("p1", seen);

    assertThat(recovered).isPresent();
    assertThat(recovered.get().session()).isEqualTo(persisted);
    assertThat(texts(recovered.get())).containsExactly(
        "2[\"everyone\"]", "2[\"to the socket itself\"]", "2[\"either room\"]");
  }

  @Test
  void sinceTheRestoresUpToGivesWhatWasRecordedAfterTheRestoreAndNothingTwice() {
    String seen = record(BroadcastOptions.ALL, "seen");
    persist("s1", "p1", "s1", "room-a");
    record(to("room-a"), "while away");

    RecoveredSession recovered = restore("p1", seen).orElseThrow();
    assertThat(texts(recovered)).containsExactly("2[\"while away\"]");
    assertThat(store.since(recovered.upTo(), Set.of("s1", "room-a"))).as("nothing new yet").isEmpty();

    record(to("room-b"), "not its room");
    record(to("room-a"), "during the restore");
    assertThat(store.since(recovered.upTo(), Set.of("s1", "room-a"))).extracting(StoredPacket::text)
        .containsExactly("2[\"during the restore\"]");
  }

  @Test
  void sinceAnOffsetOfAnotherStoreIsEmpty() {
    record(BroadcastOptions.ALL, "one");
    InMemorySessionStore other = new InMemorySessionStore(Duration.ofMinutes(2), clock);

    assertThat(store.since(other.nextOffset(), Set.of("s1"))).isEmpty();
    assertThat(store.since("garbage", Set.of("s1"))).isEmpty();
  }

  @Test
  void lastRecordedOffsetMarksWhereSinceStarts() {
    record(BroadcastOptions.ALL, "before");
    String mark = store.lastRecordedOffset();
    record(BroadcastOptions.ALL, "after");

    assertThat(store.since(mark, Set.of("s1"))).extracting(StoredPacket::text).containsExactly("2[\"after\"]");
  }

  @Test
  void packetsRecordedAfterTheDisconnectionAreIncluded() {
    String seen = record(BroadcastOptions.ALL, "before");
    persist("s1", "p1", "s1");
    clock.advance(Duration.ofSeconds(30));
    record(BroadcastOptions.ALL, "while away");

    assertThat(texts(restore("p1", seen).orElseThrow())).containsExactly("2[\"while away\"]");
  }

  @Test
  void binaryAttachmentsComeBackWithTheirPacket() {
    String seen = record(BroadcastOptions.ALL, "seen");
    String offset = store.nextOffset();
    store.record(offset, BroadcastOptions.ALL,
        new StoredPacket("51-[\"file\",{\"_placeholder\":true,\"num\":0},\"" + offset + "\"]", List.of(new byte[] {1, 2})));
    persist("s1", "p1", "s1");

    RecoveredSession recovered = restore("p1", seen).orElseThrow();

    assertThat(recovered.missed()).hasSize(1);
    assertThat(recovered.missed().get(0).attachments()).containsExactly(new byte[] {1, 2});
  }

  @Test
  void clientThatMissedNothingIsRestoredWithNothingToReplay() {
    record(BroadcastOptions.ALL, "first");
    String last = record(BroadcastOptions.ALL, "last");
    persist("s1", "p1", "s1");

    Optional<RecoveredSession> recovered = restore("p1", last);

    assertThat(recovered).isPresent();
    assertThat(recovered.get().missed()).isEmpty();
  }

  @Test
  void aSessionIsRestoredOnce() {
    String seen = record(BroadcastOptions.ALL, "seen");
    record(BroadcastOptions.ALL, "missed");
    persist("s1", "p1", "s1");

    assertThat(restore("p1", seen)).isPresent();
    assertThat(restore("p1", seen)).isEmpty();
  }

  @Test
  void unknownPrivateIdIsNotRestored() {
    String seen = record(BroadcastOptions.ALL, "seen");
    persist("s1", "p1", "s1");

    assertThat(restore("s1", seen)).as("the public id is not the private one").isEmpty();
    assertThat(restore("nobody", seen)).isEmpty();
  }

  @Test
  void sessionIsRestorableUntilTheEndOfTheWindow() {
    String seen = record(BroadcastOptions.ALL, "seen");
    persist("s1", "p1", "s1");

    clock.advance(WINDOW);

    assertThat(restore("p1", seen)).isPresent();
  }

  @Test
  void expiredSessionIsNotRestored() {
    String seen = record(BroadcastOptions.ALL, "seen");
    persist("s1", "p1", "s1");

    clock.advance(WINDOW.plusMillis(1));

    assertThat(restore("p1", seen)).isEmpty();
  }

  @Test
  void expiredSessionStaysGoneWhenOthersArePersisted() {
    String seen = record(BroadcastOptions.ALL, "seen");
    persist("s1", "p1", "s1");
    clock.advance(WINDOW.plusSeconds(1));

    persist("s2", "p2", "s2");

    assertThat(restore("p1", seen)).isEmpty();
    assertThat(restore("p2", seen)).isPresent();
  }

  @Test
  void offsetWhoseFollowingPacketsWereTrimmedIsNotRestored() {
    String seenByA = record(BroadcastOptions.ALL, "seen by both");
    clock.advance(Duration.ofSeconds(30));
    // The connection of A is already gone without the server knowing: A misses this one; B gets it.
    String seenByB = record(BroadcastOptions.ALL, "missed by A");
    clock.advance(Duration.ofSeconds(60));
    persist("a", "pa", "a");
    persist("b", "pb", "b");
    clock.advance(Duration.ofSeconds(61));
    // Recording trims what is older than the window: both packets above.
    record(BroadcastOptions.ALL, "after the trim");

    assertThat(restore("pa", seenByA)).as("A missed a packet that is gone").isEmpty();
    Optional<RecoveredSession> b = restore("pb", seenByB);
    assertThat(b).as("B missed nothing that is gone").isPresent();
    assertThat(texts(b.get())).containsExactly("2[\"after the trim\"]");
  }

  @Test
  void offsetOfAnotherStoreIsNotRestored() {
    InMemorySessionStore other = new InMemorySessionStore(WINDOW, clock);
    String foreign = other.nextOffset();
    other.record(foreign, BroadcastOptions.ALL, packet("elsewhere"));
    record(BroadcastOptions.ALL, "here");
    persist("s1", "p1", "s1");

    assertThat(restore("p1", foreign)).isEmpty();
  }

  @Test
  void offsetsOfTwoStoresNeverCollide() {
    InMemorySessionStore other = new InMemorySessionStore(WINDOW, clock);

    assertThat(other.nextOffset()).isNotEqualTo(store.nextOffset());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "garbage", "a-b-c", "0", "-1", "EPOCH-", "EPOCH-zzzzzzzzzzzzzzzzzzzzzzz", "EPOCH-!"})
  void malformedOffsetIsNotRestoredAndDoesNotThrow(String offset) {
    String seen = record(BroadcastOptions.ALL, "seen");
    String epoch = seen.substring(0, seen.lastIndexOf('-'));
    persist("s1", "p1", "s1");

    assertThat(restore("p1", offset.replace("EPOCH", epoch))).isEmpty();
  }

  @Test
  void offsetsAreDistinctAndTextual() {
    String first = store.nextOffset();
    String second = store.nextOffset();

    assertThat(first).isNotEqualTo(second).doesNotContain("\"", ",", " ");
  }
}
