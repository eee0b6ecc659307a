package dev.parley.server.gateway;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.chat.Message;
import dev.parley.server.chat.NewMessage;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.User;
import dev.parley.server.store.Database;
import dev.parley.server.store.IdGenerator;
import dev.parley.server.store.JdbcChatStore;
import dev.parley.socketio.BroadcastOptions;
import dev.parley.socketio.EventPacket;
import dev.parley.socketio.PersistedSession;
import dev.parley.socketio.RecoveredSession;
import dev.parley.socketio.StoredPacket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChatSessionStore} on a real SQLite store: offsets that carry message ids, sessions kept
 * in the database, and a session of an earlier run recovered from the message table.
 */
@Timeout(value = 30, unit = SECONDS)
class ChatSessionStoreTest {
  private static final Duration WINDOW = Duration.ofMinutes(2);

  @TempDir
  Path dir;
  private Database database;
  private JdbcChatStore store;
  private ExecutorService executor;
  private User ada;
  private User bob;
  private Room general;
  private Room side;

  @BeforeEach
  void open() {
    database = Database.open("jdbc:sqlite:" + dir.resolve("parley.db"));
    store = new JdbcChatStore(database, new IdGenerator(0));
    executor = Executors.newSingleThreadExecutor();
    ada = store.createUser("ada", User.Kind.GUEST, Optional.empty());
    bob = store.createUser("bob", User.Kind.GUEST, Optional.empty());
    general = store.publicRoomByName("general").orElseThrow();
    store.addMember(general.id(), ada.id());
    store.addMember(general.id(), bob.id());
    side = store.createPublicRoom("side", "", ada.id());
    store.addMember(side.id(), ada.id());
  }

  @AfterEach
  void close() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(5, SECONDS);
    database.close();
  }

  private ChatSessionStore newStore(Clock clock) {
    return new ChatSessionStore(ChatGateway.NAMESPACE, store, executor, WINDOW, 0, clock);
  }

  private Message send(Room room, String text) {
    return store.append(List.of(new NewMessage(room.id(), ada, text, Optional.empty(), Message.Kind.TEXT))).get(0);
  }

  /** What the gateway does for a message: reserve its offset with the DTO, record it. */
  private String broadcast(ChatSessionStore sessions, Message m) {
    EventPacket event = EventPacket.of("message", Dto.message(m));
    String offset = sessions.nextOffset(event);
    sessions.record(offset, new BroadcastOptions(Set.of(ChatGateway.roomKey(m.roomId())), Set.of(), false, false),
        new StoredPacket("2/chat,[\"message\",{\"id\":\"" + m.id() + "\"},\"" + offset + "\"]", List.of()));
    return offset;
  }

  /** Waits for the session writes queued so far: the executor runs one task at a time, in order. */
  private void flush() throws Exception {
    executor.submit(() -> null).get(5, SECONDS);
  }

  @Test
  void aClientFromANodeAheadOfThisOneIsRecoveredOnceThisNodeHasSentWhatItHad() throws Exception {
    Clock clock = Clock.systemUTC();
    ChatSessionStore here = new ChatSessionStore(ChatGateway.NAMESPACE, store, executor, WINDOW, 0, clock);
    ChatSessionStore there = new ChatSessionStore(ChatGateway.NAMESPACE, store, executor, WINDOW, 1, clock);
    there.connected("sid-2", "pid-2", Map.of(ChatGateway.USER, bob));
    Message had = send(general, "sent by the other node first");
    String offset = broadcast(there, had);
    there.persist(new PersistedSession("sid-2", "pid-2", Set.of("sid-2", ChatGateway.roomKey(general.id())),
        Map.of(ChatGateway.USER, bob), clock.instant()));
    flush();

    CompletableFuture<Optional<RecoveredSession>> restoring = here.restore("pid-2", offset).toCompletableFuture();
    assertThat(restoring).as("this node has not sent that message yet").isNotDone();
    broadcast(here, had);
    Optional<RecoveredSession> restored = restoring.get(5, SECONDS);

    assertThat(restored).map(r -> r.session().sid()).contains("sid-2");
    assertThat(restored.get().missed()).as("nothing the client had, nothing twice").isEmpty();
  }

  @Test
  void offsetsCarryTheirMessagesIdOrTheNewestOneBeforeThem() {
    ChatSessionStore sessions = newStore(Clock.systemUTC());
    Message m = send(general, "hello");

    String messageOffset = sessions.nextOffset(EventPacket.of("message", Dto.message(m)));
    String otherOffset = sessions.nextOffset(EventPacket.of("typing", Map.of("roomId", "1")));

    assertThat(messageOffset).endsWith("." + Long.toString(m.id(), 36));
    assertThat(otherOffset).endsWith("~" + Long.toString(m.id(), 36));
    assertThat(ChatSessionStore.Offset.parse(otherOffset).lastMessageId()).isEqualTo(m.id());
    assertThat(ChatSessionStore.Offset.parse("no separator")).isNull();
    assertThat(ChatSessionStore.Offset.parse("abc.not-base-36!")).isNull();
    assertThat(ChatSessionStore.Offset.parse(".")).isNull();
  }

  @Test
  void aSessionOfAnEarlierRunIsRecoveredWithTheMessagesOfItsRoomsAfterItsOffset() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    ChatSessionStore before = newStore(clock);
    before.connected("sid-1", "pid-1", Map.of(ChatGateway.USER, bob));
    String seen = broadcast(before, send(general, "seen"));
    Message missedOne = send(general, "missed 1");
    broadcast(before, missedOne);
    send(side, "not bob's room");
    flush();

    // A restart: a new store over the same database; bob's socket was still marked connected.
    ChatSessionStore after = newStore(Clock.offset(clock, Duration.ofSeconds(30)));
    Message missedTwo = send(general, "missed 2");
    broadcast(after, missedTwo);
    Optional<RecoveredSession> restored = after.restore("pid-1", seen).toCompletableFuture().get(5, SECONDS);

    assertThat(restored).isPresent();
    PersistedSession session = restored.get().session();
    assertThat(session.sid()).isEqualTo("sid-1");
    assertThat(session.rooms()).containsExactlyInAnyOrder("sid-1", ChatGateway.userKey(bob.id()),
        ChatGateway.roomKey(general.id()));
    assertThat(session.data()).containsEntry(ChatGateway.USER, bob);
    assertThat(restored.get().missed()).extracting(StoredPacket::text).satisfiesExactly(
        text -> assertThat(text).startsWith("2/chat,[\"message\",").contains("\"id\":\"" + missedOne.id() + "\"",
            "\"text\":\"missed 1\""),
        text -> assertThat(text).contains("\"id\":\"" + missedTwo.id() + "\""));

    assertThat(after.restore("pid-1", seen).toCompletableFuture().get(5, SECONDS)).as("once").isEmpty();
  }

  @Test
  void aRestoreFromTheTableGivesWhatWasSentAndSinceGivesTheRestOnce() throws Exception {
    Clock clock = Clock.systemUTC();
    ChatSessionStore before = newStore(clock);
    before.connected("sid-1", "pid-1", Map.of(ChatGateway.USER, bob));
    String seen = broadcast(before, send(general, "seen"));
    flush();

    ChatSessionStore after = newStore(clock);
    Message sentBefore = send(general, "sent before the restore");
    broadcast(after, sentBefore);
    Message notSentYet = send(general, "committed, not sent before the table read");
    RecoveredSession restored = after.restore("pid-1", seen).toCompletableFuture().get(5, SECONDS).orElseThrow();
    // Sent after the restore read the table: not in what it read, so since() gives it, once.
    broadcast(after, notSentYet);
    Message later = send(general, "later");
    broadcast(after, later);

    assertThat(restored.missed()).extracting(StoredPacket::text).singleElement().asString()
        .contains("\"id\":\"" + sentBefore.id() + "\"");
    assertThat(after.since(restored.upTo(), restored.session().rooms())).extracting(StoredPacket::text)
        .satisfiesExactly(
            text -> assertThat(text).contains("\"id\":\"" + notSentYet.id() + "\""),
            text -> assertThat(text).contains("\"id\":\"" + later.id() + "\""));
  }

  @Test
  void aSessionRecoveredFromMemoryGetsWhatWasRecordedDuringTheRestoreFromSince() throws Exception {
    ChatSessionStore sessions = newStore(Clock.systemUTC());
    String seen = broadcast(sessions, send(general, "seen"));
    sessions.persist(new PersistedSession("sid-1", "pid-1", Set.of("sid-1", ChatGateway.roomKey(general.id())),
        Map.of(ChatGateway.USER, bob), Instant.now()));
    Message away = send(general, "while away");
    broadcast(sessions, away);

    RecoveredSession restored = sessions.restore("pid-1", seen).toCompletableFuture().get(5, SECONDS).orElseThrow();
    Message during = send(general, "during the restore");
    broadcast(sessions, during);

    assertThat(restored.missed()).extracting(StoredPacket::text).singleElement().asString()
        .contains("\"id\":\"" + away.id() + "\"");
    assertThat(sessions.since(restored.upTo(), restored.session().rooms())).extracting(StoredPacket::text)
        .singleElement().asString().contains("\"id\":\"" + during.id() + "\"");
  }

  @Test
  void aSessionThatEndedForGoodOrExpiredIsNotRecovered() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    ChatSessionStore before = newStore(clock);
    before.connected("sid-1", "pid-1", Map.of(ChatGateway.USER, bob));
    before.connected("sid-2", "pid-2", Map.of(ChatGateway.USER, bob));
    String seen = broadcast(before, send(general, "seen"));
    before.discard("pid-1");
    flush();

    ChatSessionStore late = newStore(Clock.offset(clock, Duration.ofSeconds(1)));
    ChatSessionStore afterWindow = newStore(Clock.offset(clock, WINDOW.plusSeconds(5)));
    assertThat(late.restore("pid-1", seen).toCompletableFuture().get(5, SECONDS)).as("ended").isEmpty();
    assertThat(afterWindow.restore("pid-2", seen).toCompletableFuture().get(5, SECONDS)).as("expired").isEmpty();
  }
}
