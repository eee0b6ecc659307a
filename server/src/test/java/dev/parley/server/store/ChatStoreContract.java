package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.chat.ChatStore;
import dev.parley.server.chat.Member;
import dev.parley.server.chat.Membership;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.NewMessage;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.RoomRole;
import dev.parley.server.chat.SocketSession;
import dev.parley.server.chat.StoreException;
import dev.parley.server.chat.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link JdbcChatStore} must do, whatever engine is under it. A subclass per engine
 * gives each test a fresh, empty, migrated database.
 */
@Timeout(value = 60, unit = SECONDS)
abstract class ChatStoreContract {
  protected Database database;
  protected JdbcChatStore store;

  /** A new, empty database for one test. */
  protected abstract Database openDatabase();

  /** The same database as {@link #openDatabase()} opened, opened again. */
  protected abstract Database reopenDatabase();

  /** Removes what {@link #openDatabase()} made; the database is closed already. */
  protected void dropDatabase() {}

  /**
   * The JDBC URL of another new, empty database, not migrated, removed with the test's own by
   * {@link #dropDatabase()}: for tests of the migrations themselves.
   */
  protected abstract String emptyDatabaseUrl();

  @BeforeEach
  void openStore() {
    database = openDatabase();
    store = new JdbcChatStore(database, new IdGenerator(1), Clock.systemUTC());
  }

  @AfterEach
  void closeStore() {
    try {
      if (database != null) {
        database.close();
      }
    } finally {
      dropDatabase();
    }
  }

  // ---- users -----------------------------------------------------------------------------------

  @Test
  void createdUserIsFoundByIdAndByNameInAnyCase() {
    User ada = store.createUser("Ada", User.Kind.GUEST, Optional.of("hash-1"));

    assertThat(ada.name()).isEqualTo("Ada");
    assertThat(ada.kind()).isEqualTo(User.Kind.GUEST);
    assertThat(store.user(ada.id())).contains(ada);
    assertThat(store.userByName("ada")).contains(ada);
    assertThat(store.userByName("ADA")).contains(ada);
    assertThat(store.userKeyHash(ada.id())).contains("hash-1");
  }

  @Test
  void userNamesAreUniqueInAnyCase() {
    store.createUser("Ada", User.Kind.GUEST, Optional.empty());

    assertThatThrownBy(() -> store.createUser("ADA", User.Kind.TUTORIAL, Optional.empty()))
        .isInstanceOf(StoreException.Conflict.class)
        .hasMessageContaining("ADA");
    assertThat(store.userByName("ada").orElseThrow().name()).isEqualTo("Ada");
  }

  @Test
  void unknownUsersAreEmpty() {
    User bob = store.createUser("bob", User.Kind.TUTORIAL, Optional.empty());

    assertThat(store.user(42)).isEmpty();
    assertThat(store.userByName("nobody")).isEmpty();
    assertThat(store.userKeyHash(bob.id())).isEmpty();
    assertThat(store.userKeyHash(42)).isEmpty();
  }

  // ---- rooms -----------------------------------------------------------------------------------

  @Test
  void generalExistsFromTheStart() {
    Room general = store.publicRoomByName("General").orElseThrow();

    assertThat(general.name()).isEqualTo(Room.GENERAL);
    assertThat(general.kind()).isEqualTo(Room.Kind.PUBLIC);
    assertThat(general.lastSeq()).isZero();
    assertThat(store.publicRooms()).containsExactly(general);
    assertThat(store.room(general.id())).contains(general);
  }

  @Test
  void createdPublicRoomIsFoundByIdAndByNameInAnyCase() {
    User ada = user("ada");
    Room random = store.createPublicRoom("Random", "anything goes", ada.id());

    assertThat(random).isEqualTo(new Room(random.id(), "Random", Room.Kind.PUBLIC, "anything goes", 0, 0));
    assertThat(store.room(random.id())).contains(random);
    assertThat(store.publicRoomByName("RANDOM")).contains(random);
    assertThat(store.publicRooms()).extracting(Room::name).containsExactly("general", "Random");
  }

  @Test
  void publicRoomNamesAreUniqueInAnyCase() {
    User ada = user("ada");
    store.createPublicRoom("Random", "", ada.id());

    assertThatThrownBy(() -> store.createPublicRoom("rANDOM", "", ada.id()))
        .isInstanceOf(StoreException.Conflict.class);
    assertThatThrownBy(() -> store.createPublicRoom("GENERAL", "", ada.id()))
        .isInstanceOf(StoreException.Conflict.class);
    assertThat(store.publicRooms()).hasSize(2);
  }

  @Test
  void dmRoomIsOneRoomOfTwoMembersWhicheverSideOpensIt() {
    User ada = user("ada");
    User bob = user("bob");

    Room dm = store.dmRoom(ada.id(), bob.id());

    assertThat(dm.kind()).isEqualTo(Room.Kind.DM);
    assertThat(dm.memberCount()).isEqualTo(2);
    assertThat(store.dmRoom(bob.id(), ada.id())).isEqualTo(dm);
    assertThat(store.members(dm.id())).containsExactly(ada, bob);
    assertThat(store.publicRooms()).extracting(Room::id).doesNotContain(dm.id());
    assertThat(store.publicRoomByName(dm.name())).isEmpty();
  }

  @Test
  void concurrentDmRoomCallsMakeOneRoom() throws Exception {
    User ada = user("ada");
    User bob = user("bob");

    List<Room> rooms = concurrently(8, i -> i % 2 == 0 ? store.dmRoom(ada.id(), bob.id()) : store.dmRoom(bob.id(), ada.id()));

    assertThat(rooms).extracting(Room::id).containsOnly(rooms.get(0).id());
    assertThat(store.members(rooms.get(0).id())).containsExactly(ada, bob);
    assertThat(store.memberships(ada.id())).hasSize(1);
  }

  @Test
  void dmRoomBringsBackAMemberWhoLeft() {
    User ada = user("ada");
    User bob = user("bob");
    Room dm = store.dmRoom(ada.id(), bob.id());
    store.removeMember(dm.id(), bob.id());

    assertThat(store.dmRoom(ada.id(), bob.id()).id()).isEqualTo(dm.id());
    assertThat(store.isMember(dm.id(), bob.id())).isTrue();
  }

  @Test
  void dmRoomNeedsTwoUsers() {
    User ada = user("ada");

    assertThatThrownBy(() -> store.dmRoom(ada.id(), ada.id())).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- membership ------------------------------------------------------------------------------

  @Test
  void membersComeAndGo() {
    User ada = user("ada");
    User bob = user("bob");
    Room general = general();

    assertThat(store.addMember(general.id(), bob.id())).isTrue();
    assertThat(store.addMember(general.id(), ada.id())).isTrue();
    assertThat(store.addMember(general.id(), ada.id())).isFalse();
    assertThat(store.isMember(general.id(), ada.id())).isTrue();
    assertThat(store.members(general.id())).containsExactly(ada, bob);
    assertThat(store.room(general.id()).orElseThrow().memberCount()).isEqualTo(2);

    assertThat(store.removeMember(general.id(), ada.id())).isTrue();
    assertThat(store.removeMember(general.id(), ada.id())).isFalse();
    assertThat(store.isMember(general.id(), ada.id())).isFalse();
    assertThat(store.members(general.id())).containsExactly(bob);
  }

  @Test
  void addingToAMissingRoomOrUserFails() {
    User ada = user("ada");

    assertThatThrownBy(() -> store.addMember(12345, ada.id()))
        .isInstanceOf(StoreException.class).hasMessageContaining("12345");
    assertThatThrownBy(() -> store.addMember(general().id(), 999))
        .isInstanceOf(StoreException.class);
    assertThat(store.members(general().id())).isEmpty();
  }

  @Test
  void membershipsListRoomsWithReadPositionUnreadAndDmPeer() {
    User ada = user("ada");
    User bob = user("bob");
    Room general = general();
    store.addMember(general.id(), ada.id());
    store.addMember(general.id(), bob.id());
    Room dm = store.dmRoom(ada.id(), bob.id());
    store.append(List.of(text(general, bob, "g1"), text(general, bob, "g2"), text(dm, bob, "d1")));

    Map<Long, Membership> ofAda = byRoom(store.memberships(ada.id()));
    Map<Long, Membership> ofBob = byRoom(store.memberships(bob.id()));

    assertThat(ofAda).containsOnlyKeys(general.id(), dm.id());
    assertThat(ofAda.get(general.id()).lastReadSeq()).isZero();
    assertThat(ofAda.get(general.id()).unread()).isEqualTo(2);
    assertThat(ofAda.get(general.id()).peer()).isEmpty();
    assertThat(ofAda.get(general.id()).room().memberCount()).isEqualTo(2);
    assertThat(ofAda.get(dm.id()).unread()).isEqualTo(1);
    assertThat(ofAda.get(dm.id()).peer()).contains(bob);
    assertThat(ofBob.get(dm.id()).peer()).contains(ada);
    assertThat(ofBob.get(dm.id()).unread()).isZero();
    assertThat(ofBob.get(general.id()).lastReadSeq()).isEqualTo(2);

    User carol = user("carol");
    Room dmWithCarol = store.dmRoom(carol.id(), ada.id());
    assertThat(byRoom(store.memberships(ada.id())).get(dmWithCarol.id()).peer()).contains(carol);
    assertThat(byRoom(store.memberships(ada.id())).get(dm.id()).peer()).contains(bob);
  }

  @Test
  void aNewMemberHasReadWhatCameBeforeIt() {
    User ada = user("ada");
    User bob = user("bob");
    Room general = general();
    store.addMember(general.id(), ada.id());
    store.append(List.of(text(general, ada, "1"), text(general, ada, "2")));

    store.addMember(general.id(), bob.id());

    Membership bobs = store.memberships(bob.id()).get(0);
    assertThat(bobs.lastReadSeq()).isEqualTo(2);
    assertThat(bobs.unread()).isZero();
  }

  @Test
  void markReadMovesForwardOnlyAndNotPastTheNewestMessage() {
    User ada = user("ada");
    User bob = user("bob");
    Room general = general();
    store.addMember(general.id(), ada.id());
    store.addMember(general.id(), bob.id());
    store.append(List.of(text(general, bob, "1"), text(general, bob, "2"), text(general, bob, "3")));

    assertThat(store.markRead(general.id(), ada.id(), 2)).isEqualTo(2);
    assertThat(store.markRead(general.id(), ada.id(), 1)).isEqualTo(2);
    assertThat(store.markRead(general.id(), ada.id(), 1_000)).isEqualTo(3);
    assertThat(store.memberships(ada.id()).get(0).unread()).isZero();
    assertThatThrownBy(() -> store.markRead(general.id(), 999, 1)).isInstanceOf(StoreException.class)
        .hasMessageContaining("not a member");
  }

  // ---- append ----------------------------------------------------------------------------------

  @Test
  void appendGivesEachRoomGapFreeSeqsInInputOrder() {
    User ada = user("ada");
    Room general = general();
    Room random = store.createPublicRoom("random", "", ada.id());
    long before = System.currentTimeMillis();

    List<Message> stored = store.append(List.of(text(general, ada, "a"), text(random, ada, "b"),
        text(general, ada, "c"), text(general, ada, "d"), text(random, ada, "e")));

    assertThat(stored).extracting(Message::clientMsgId).containsExactly(
        Optional.of("a"), Optional.of("b"), Optional.of("c"), Optional.of("d"), Optional.of("e"));
    assertThat(stored).extracting(Message::seq).containsExactly(1L, 1L, 2L, 3L, 2L);
    assertThat(stored).extracting(Message::id).doesNotHaveDuplicates();
    assertThat(stored).allSatisfy(m -> assertThat(m.ts()).isBetween(before, System.currentTimeMillis()));
    assertThat(store.lastSeqs(List.of(general.id(), random.id())))
        .containsExactlyInAnyOrderEntriesOf(Map.of(general.id(), 3L, random.id(), 2L));
    assertThat(store.page(general.id(), Optional.empty(), Optional.empty(), 10))
        .containsExactly(stored.get(0), stored.get(2), stored.get(3));
  }

  @Test
  void appendStoresTextAndKindExactly() {
    User ada = user("ada");
    Room general = general();
    String text = "<b>bold</b> & 'quotes' \"too\"\nnew line\ttab — ünïcødé 😀 \u202e";

    List<Message> stored = store.append(List.of(
        text(general, ada, "t1", text),
        new NewMessage(general.id(), ada, "", Optional.empty(), Message.Kind.JOIN),
        new NewMessage(general.id(), ada, "", Optional.empty(), Message.Kind.LEAVE)));

    List<Message> read = store.page(general.id(), Optional.empty(), Optional.empty(), 10);
    assertThat(read).isEqualTo(stored);
    assertThat(read.get(0).text()).isEqualTo(text);
    assertThat(read.get(0).user()).isEqualTo(ada);
    assertThat(read).extracting(Message::kind)
        .containsExactly(Message.Kind.TEXT, Message.Kind.JOIN, Message.Kind.LEAVE);
    assertThat(read.get(1).clientMsgId()).isEmpty();
  }

  @Test
  void aMessageWithANulCharacterIsRefusedBeforeAnythingIsStored() {
    User ada = user("ada");
    Room general = general();

    assertThatThrownBy(() -> store.append(List.of(text(general, ada, "ok"), text(general, ada, "c2", "a\u0000b"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.append(List.of(text(general, ada, "c\u0000"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.lastSeqs(List.of(general.id()))).containsEntry(general.id(), 0L);
  }

  @Test
  void anEmptyBatchStoresNothing() {
    assertThat(store.append(List.of())).isEmpty();
  }

  @Test
  void aResentMessageReturnsTheStoredOneAcrossBatches() {
    User ada = user("ada");
    Room general = general();
    Message first = store.append(List.of(text(general, ada, "c1", "hello"))).get(0);

    List<Message> again = store.append(List.of(text(general, ada, "c1", "hello (retry)"), text(general, ada, "c2")));

    assertThat(again.get(0)).isEqualTo(first);
    assertThat(again.get(1).seq()).isEqualTo(2);
    assertThat(store.page(general.id(), Optional.empty(), Optional.empty(), 10))
        .extracting(Message::text).containsExactly("hello", "text of c2");
  }

  @Test
  void aResentMessageReturnsTheEarlierOneWithinABatch() {
    User ada = user("ada");
    User bob = user("bob");
    Room general = general();

    List<Message> stored = store.append(List.of(text(general, ada, "c1", "first"), text(general, bob, "c1", "bob's"),
        text(general, ada, "c1", "second"), new NewMessage(general.id(), ada, "", Optional.empty(), Message.Kind.JOIN),
        new NewMessage(general.id(), ada, "", Optional.empty(), Message.Kind.JOIN)));

    assertThat(stored.get(2)).isEqualTo(stored.get(0));
    assertThat(stored).extracting(Message::seq).containsExactly(1L, 2L, 1L, 3L, 4L);
    assertThat(stored.get(1).user()).isEqualTo(bob);
    assertThat(store.lastSeqs(List.of(general.id()))).containsEntry(general.id(), 4L);
  }

  @Test
  void appendMovesEachSendersReadPositionToItsOwnMessage() {
    User ada = user("ada");
    User bob = user("bob");
    Room general = general();
    store.addMember(general.id(), ada.id());
    store.addMember(general.id(), bob.id());

    store.append(List.of(text(general, ada, "a1"), text(general, bob, "b1"), text(general, ada, "a2"),
        text(general, bob, "b2"), text(general, bob, "b3")));

    assertThat(store.memberships(ada.id()).get(0).lastReadSeq()).isEqualTo(3);
    assertThat(store.memberships(ada.id()).get(0).unread()).isEqualTo(2);
    assertThat(store.memberships(bob.id()).get(0).lastReadSeq()).isEqualTo(5);
    assertThat(store.markRead(general.id(), ada.id(), 5)).isEqualTo(5);
    store.append(List.of(text(general, ada, "a1")));
    assertThat(store.memberships(ada.id()).get(0).lastReadSeq())
        .as("a resend does not move the read position back").isEqualTo(5);
  }

  @Test
  void concurrentAppendersGetGapFreeSeqsAndKeepTheirOrder() throws Exception {
    Room general = general();
    Room random = store.createPublicRoom("random", "", user("owner").id());
    int threads = 4;
    int batches = 25;
    int perBatch = 4;
    List<User> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      senders.add(user("sender" + t));
    }

    List<List<Message>> sent = concurrently(threads, t -> {
      List<Message> mine = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        List<NewMessage> batch = new ArrayList<>();
        for (int m = 0; m < perBatch; m++) {
          batch.add(text(m % 2 == 0 ? general : random, senders.get(t), t + "-" + b + "-" + m));
        }
        mine.addAll(store.append(batch));
      }
      return mine;
    });

    long perRoom = (long) threads * batches * perBatch / 2;
    for (Room room : List.of(general, random)) {
      List<Message> all = store.page(room.id(), Optional.empty(), Optional.of(0L), 1_000);
      assertThat(all).extracting(Message::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, perRoom).boxed().toList());
      assertThat(store.lastSeqs(List.of(room.id()))).containsEntry(room.id(), perRoom);
      for (List<Message> mine : sent) {
        assertThat(mine.stream().filter(m -> m.roomId() == room.id()).map(Message::seq).toList())
            .as("one sender's messages in one room keep their order").isSorted();
      }
    }
    Set<Long> ids = new HashSet<>();
    sent.forEach(mine -> mine.forEach(m -> ids.add(m.id())));
    assertThat(ids).hasSize(threads * batches * perBatch);
  }

  @Test
  void twoNodesStoringTheSameSendAtOnceStoreItOnce() throws Exception {
    // A client that reconnects to another node may resend while the first node is committing.
    User ada = user("ada");
    User bob = user("bob");
    Room general = general();
    int rounds = 20;
    try (Database secondNode = reopenDatabase()) {
      List<JdbcChatStore> nodes = List.of(store, new JdbcChatStore(secondNode, new IdGenerator(2), Clock.systemUTC()));
      for (int round = 0; round < rounds; round++) {
        String resent = "resent-" + round;
        String other = "other-" + round + "-";
        List<List<Message>> results = concurrently(2, node -> nodes.get(node).append(
            List.of(text(general, bob, other + node), text(general, ada, resent))));

        assertThat(results.get(1).get(1)).isEqualTo(results.get(0).get(1));
      }
    }
    assertThat(seqs(store.page(general.id(), Optional.empty(), Optional.of(0L), 1_000)))
        .containsExactly(range(1, 3 * rounds));
  }

  @Test
  void aBatchWithAMissingRoomStoresNothingAndLeavesNoGap() {
    User ada = user("ada");
    Room general = general();
    store.append(List.of(text(general, ada, "before")));

    assertThatThrownBy(() -> store.append(List.of(text(general, ada, "lost-1"),
        new NewMessage(Long.MAX_VALUE, ada, "nowhere", Optional.of("lost-2"), Message.Kind.TEXT))))
        .isInstanceOf(StoreException.class).hasMessageContaining(String.valueOf(Long.MAX_VALUE));

    assertAfterFailedBatch(general, ada);
  }

  @Test
  void aBatchThatFailsAfterTakingSeqsStoresNothingAndLeavesNoGap() {
    User ada = user("ada");
    User ghost = new User(777, "ghost", User.Kind.GUEST);
    Room general = general();
    store.append(List.of(text(general, ada, "before")));

    // Seqs are taken before the insert meets the missing user.
    assertThatThrownBy(() -> store.append(List.of(text(general, ada, "lost-1"), text(general, ghost, "lost-2"))))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("could not store 2 message(s)")
        .as("message text stays out of errors and logs").hasMessageNotContaining("text of lost");

    assertAfterFailedBatch(general, ada);
  }

  private void assertAfterFailedBatch(Room general, User ada) {
    assertThat(store.lastSeqs(List.of(general.id()))).containsEntry(general.id(), 1L);
    assertThat(store.page(general.id(), Optional.empty(), Optional.empty(), 10))
        .extracting(Message::text).containsExactly("text of before");
    List<Message> next = store.append(List.of(text(general, ada, "lost-1"), text(general, ada, "after")));
    assertThat(next).extracting(Message::seq).containsExactly(2L, 3L);
    assertThat(next.get(0).text()).as("the failed send was not stored").isEqualTo("text of lost-1");
  }

  // ---- reading ---------------------------------------------------------------------------------

  @Test
  void pagesGoBackAndForwardFromASeq() {
    User ada = user("ada");
    Room general = general();
    List<NewMessage> batch = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      batch.add(text(general, ada, "m" + i));
    }
    store.append(batch);

    assertThat(seqs(store.page(general.id(), Optional.empty(), Optional.empty(), 10))).containsExactly(range(16, 25));
    assertThat(seqs(store.page(general.id(), Optional.of(16L), Optional.empty(), 10))).containsExactly(range(6, 15));
    assertThat(seqs(store.page(general.id(), Optional.of(6L), Optional.empty(), 10))).containsExactly(range(1, 5));
    assertThat(store.page(general.id(), Optional.of(1L), Optional.empty(), 10)).isEmpty();
    assertThat(seqs(store.page(general.id(), Optional.empty(), Optional.of(0L), 10))).containsExactly(range(1, 10));
    assertThat(seqs(store.page(general.id(), Optional.empty(), Optional.of(20L), 10))).containsExactly(range(21, 25));
    assertThat(store.page(general.id(), Optional.empty(), Optional.of(25L), 10)).isEmpty();
    assertThat(seqs(store.page(general.id(), Optional.of(9L), Optional.of(3L), 10))).containsExactly(range(4, 8));
    assertThat(seqs(store.page(general.id(), Optional.empty(), Optional.empty(), 1))).containsExactly(25L);
    assertThat(store.page(general.id(), Optional.empty(), Optional.empty(), 100)).hasSize(25);
  }

  @Test
  void pagesOfAnEmptyOrMissingRoomAreEmpty() {
    assertThat(store.page(general().id(), Optional.empty(), Optional.empty(), 50)).isEmpty();
    assertThat(store.page(424242, Optional.empty(), Optional.of(0L), 50)).isEmpty();
    assertThatThrownBy(() -> store.page(general().id(), Optional.empty(), Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lastSeqsGivesTheNewestSeqOfEachKnownRoom() {
    User ada = user("ada");
    Room general = general();
    Room empty = store.createPublicRoom("empty", "", ada.id());
    store.append(List.of(text(general, ada, "1"), text(general, ada, "2")));

    assertThat(store.lastSeqs(List.of(general.id(), empty.id(), 424242L, general.id())))
        .containsExactlyInAnyOrderEntriesOf(Map.of(general.id(), 2L, empty.id(), 0L));
    assertThat(store.lastSeqs(List.of())).isEmpty();
    assertThat(store.room(general.id()).orElseThrow().lastSeq()).isEqualTo(2);
  }

  // ---- private rooms and roles -----------------------------------------------------------------

  @Test
  void aCreatedRoomHasItsCreatorAsOwnerAndOnlyMember() {
    User ada = user("ada");

    Room lounge = store.createRoom("Lounge", Room.Kind.PUBLIC, "sofas", ada.id());
    Room plans = store.createRoom("Plans", Room.Kind.PRIVATE, "", ada.id());

    assertThat(lounge).isEqualTo(new Room(lounge.id(), "Lounge", Room.Kind.PUBLIC, "sofas", 0, 1));
    assertThat(plans).isEqualTo(new Room(plans.id(), "Plans", Room.Kind.PRIVATE, "", 0, 1));
    assertThat(store.room(plans.id())).contains(plans);
    for (Room room : List.of(lounge, plans)) {
      assertThat(store.roster(room.id())).containsExactly(new Member(ada, RoomRole.OWNER));
      assertThat(store.role(room.id(), ada.id())).contains(RoomRole.OWNER);
      assertThat(byRoom(store.memberships(ada.id())).get(room.id()).role()).isEqualTo(RoomRole.OWNER);
    }
  }

  @Test
  void privateRoomsAreNeitherListedNorFoundByNameAndMayShareNames() {
    User ada = user("ada");
    User bob = user("bob");
    Room mine = store.createRoom("Plans", Room.Kind.PRIVATE, "", ada.id());
    Room bobs = store.createRoom("plans", Room.Kind.PRIVATE, "", bob.id());
    Room open = store.createRoom("PLANS", Room.Kind.PUBLIC, "", bob.id());
    Room secret = store.createRoom("Secret", Room.Kind.PRIVATE, "", ada.id());

    assertThat(store.publicRooms()).extracting(Room::id).containsExactly(general().id(), open.id());
    assertThat(store.publicRoomByName("plans")).contains(open);
    assertThat(store.publicRoomByName("secret")).isEmpty();
    assertThat(store.privateRooms()).extracting(Room::id)
        .containsExactlyInAnyOrder(mine.id(), bobs.id(), secret.id());
    assertThatThrownBy(() -> store.createRoom("Plans", Room.Kind.PUBLIC, "", ada.id()))
        .as("public names stay unique").isInstanceOf(StoreException.Conflict.class);
    assertThat(store.createRoom("general", Room.Kind.PRIVATE, "", ada.id()).kind()).isEqualTo(Room.Kind.PRIVATE);
    assertThatThrownBy(() -> store.createRoom("dm", Room.Kind.DM, "", ada.id()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void membersJoinAsMembersAndTheRosterShowsRolesByName() {
    User ada = user("ada");
    User bob = user("bob");
    User carol = user("carol");
    Room room = store.createRoom("team", Room.Kind.PRIVATE, "", carol.id());
    store.addMember(room.id(), bob.id());
    store.addMember(room.id(), ada.id());

    assertThat(store.setRole(room.id(), bob.id(), RoomRole.MODERATOR)).isEqualTo(ChatStore.RoleChange.CHANGED);

    assertThat(store.roster(room.id())).containsExactly(new Member(ada, RoomRole.MEMBER),
        new Member(bob, RoomRole.MODERATOR), new Member(carol, RoomRole.OWNER));
    assertThat(store.role(room.id(), ada.id())).contains(RoomRole.MEMBER);
    assertThat(store.role(room.id(), user("dave").id())).isEmpty();
    assertThat(store.roster(424242)).isEmpty();
  }

  @Test
  void theLastOwnerCannotBeDemotedUntilAnotherMemberIsOwner() {
    User ada = user("ada");
    User bob = user("bob");
    Room room = store.createRoom("team", Room.Kind.PUBLIC, "", ada.id());
    store.addMember(room.id(), bob.id());

    assertThat(store.setRole(room.id(), ada.id(), RoomRole.MODERATOR)).isEqualTo(ChatStore.RoleChange.LAST_OWNER);
    assertThat(store.setRole(room.id(), ada.id(), RoomRole.OWNER)).isEqualTo(ChatStore.RoleChange.UNCHANGED);
    assertThat(store.setRole(room.id(), user("carol").id(), RoomRole.MEMBER))
        .isEqualTo(ChatStore.RoleChange.NOT_A_MEMBER);
    assertThat(store.setRole(room.id(), bob.id(), RoomRole.OWNER)).isEqualTo(ChatStore.RoleChange.CHANGED);
    assertThat(store.setRole(room.id(), ada.id(), RoomRole.MEMBER)).isEqualTo(ChatStore.RoleChange.CHANGED);

    assertThat(store.roster(room.id())).containsExactly(new Member(ada, RoomRole.MEMBER), new Member(bob, RoomRole.OWNER));
  }

  @Test
  void whenTheLastOwnerGoesTheLongestStandingModeratorElseMemberTakesOver() {
    // Users made in one order, joining in another: the join time decides, not the id.
    User owner = user("owner");
    User late = user("late");
    User mod = user("mod");
    User early = user("early");
    JdbcChatStore ticking = new JdbcChatStore(database, new IdGenerator(5), new TickingClock());
    Room room = ticking.createRoom("team", Room.Kind.PRIVATE, "", owner.id());
    ticking.addMember(room.id(), early.id());
    ticking.addMember(room.id(), mod.id());
    ticking.addMember(room.id(), late.id());
    store.setRole(room.id(), mod.id(), RoomRole.MODERATOR);

    assertThat(store.removeMemberKeepingOwner(room.id(), owner.id()))
        .contains(new ChatStore.Removal(RoomRole.OWNER, Optional.of(mod)));
    assertThat(store.role(room.id(), mod.id())).as("a moderator first").contains(RoomRole.OWNER);

    assertThat(store.removeMemberKeepingOwner(room.id(), mod.id()))
        .contains(new ChatStore.Removal(RoomRole.OWNER, Optional.of(early)));
    assertThat(store.roster(room.id())).containsExactly(new Member(early, RoomRole.OWNER), new Member(late, RoomRole.MEMBER));

    assertThat(store.removeMemberKeepingOwner(room.id(), late.id()))
        .contains(new ChatStore.Removal(RoomRole.MEMBER, Optional.empty()));
    assertThat(store.removeMemberKeepingOwner(room.id(), early.id()))
        .as("nobody left to take over").contains(new ChatStore.Removal(RoomRole.OWNER, Optional.empty()));
    assertThat(store.removeMemberKeepingOwner(room.id(), early.id())).isEmpty();
    assertThat(store.roster(room.id())).isEmpty();
  }

  @Test
  void anOwnerLeavingWhileAnotherStaysPromotesNobody() {
    User ada = user("ada");
    User bob = user("bob");
    User carol = user("carol");
    Room room = store.createRoom("team", Room.Kind.PUBLIC, "", ada.id());
    store.addMember(room.id(), bob.id());
    store.addMember(room.id(), carol.id());
    store.setRole(room.id(), bob.id(), RoomRole.OWNER);

    assertThat(store.removeMemberKeepingOwner(room.id(), ada.id()))
        .contains(new ChatStore.Removal(RoomRole.OWNER, Optional.empty()));
    assertThat(store.roster(room.id())).containsExactly(new Member(bob, RoomRole.OWNER), new Member(carol, RoomRole.MEMBER));
  }

  @Test
  void twoOwnersLeavingAtOnceLeaveTheRoomWithAnOwner() throws Exception {
    for (int round = 0; round < 10; round++) {
      User a = user("a" + round);
      User b = user("b" + round);
      User c = user("c" + round);
      Room room = store.createRoom("team" + round, Room.Kind.PRIVATE, "", a.id());
      store.addMember(room.id(), b.id());
      store.addMember(room.id(), c.id());
      store.setRole(room.id(), b.id(), RoomRole.OWNER);

      concurrently(2, t -> store.removeMemberKeepingOwner(room.id(), (t == 0 ? a : b).id()));

      assertThat(store.roster(room.id())).containsExactly(new Member(c, RoomRole.OWNER));
    }
  }

  @Test
  void twoOwnersDemotingEachOtherAtOnceLeaveOneOwner() throws Exception {
    for (int round = 0; round < 10; round++) {
      User a = user("a" + round);
      User b = user("b" + round);
      Room room = store.createRoom("team" + round, Room.Kind.PUBLIC, "", a.id());
      store.addMember(room.id(), b.id());
      store.setRole(room.id(), b.id(), RoomRole.OWNER);

      List<ChatStore.RoleChange> changes = concurrently(2,
          t -> store.setRole(room.id(), (t == 0 ? a : b).id(), RoomRole.MEMBER));

      assertThat(changes).containsExactlyInAnyOrder(ChatStore.RoleChange.CHANGED, ChatStore.RoleChange.LAST_OWNER);
      assertThat(store.roster(room.id())).filteredOn(m -> m.role() == RoomRole.OWNER).hasSize(1);
    }
  }

  @Test
  void theRoleMigrationGivesOldRoomsOwners() throws Exception {
    String url = emptyDatabaseUrl();
    Flyway.configure().dataSource(url, null, null).locations("classpath:" + Dialect.ofJdbcUrl(url).migrations())
        .target("2").load().migrate();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("INSERT INTO users (id, name, name_lower, kind, created_at) VALUES"
          + " (10, 'ada', 'ada', 'guest', 0), (11, 'bob', 'bob', 'guest', 0), (12, 'cy', 'cy', 'guest', 0)");
      s.execute("INSERT INTO rooms (id, name, name_lower, kind, topic, dm_key, created_by, created_at) VALUES"
          + " (20, 'kept', 'kept', 'public', '', NULL, 10, 0),"
          + " (21, 'left', 'left', 'public', '', NULL, 10, 0),"
          + " (22, 'dm:11:12', NULL, 'dm', '', '11:12', 11, 0)");
      s.execute("INSERT INTO memberships (room_id, user_id, joined_at) VALUES"
          + " (1, 10, 5), (1, 11, 6), (20, 10, 1), (20, 11, 2), (21, 12, 3), (21, 11, 3), (22, 11, 1), (22, 12, 1)");
    }

    try (Database migrated = Database.open(url)) {
      JdbcChatStore old = new JdbcChatStore(migrated, new IdGenerator(5));
      User ada = old.user(10).orElseThrow();
      User bob = old.user(11).orElseThrow();
      User cy = old.user(12).orElseThrow();
      assertThat(old.roster(20)).as("the creator").containsExactly(new Member(ada, RoomRole.OWNER),
          new Member(bob, RoomRole.MEMBER));
      assertThat(old.roster(21)).as("the creator left: the first to join, the lower id on a tie")
          .containsExactly(new Member(bob, RoomRole.OWNER), new Member(cy, RoomRole.MEMBER));
      assertThat(old.roster(1)).as("general has no owner").extracting(Member::role).containsOnly(RoomRole.MEMBER);
      assertThat(old.roster(22)).as("nor has a DM").extracting(Member::role).containsOnly(RoomRole.MEMBER);
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  @Test
  void messagesAfterAnIdAreTheLaterOnesOfEveryRoomInIdOrder() {
    User ada = store.createUser("ada", User.Kind.GUEST, Optional.empty());
    Room general = store.publicRoomByName("general").orElseThrow();
    Room side = store.createPublicRoom("side", "", ada.id());
    List<Message> stored = store.append(List.of(
        new NewMessage(general.id(), ada, "one", Optional.empty(), Message.Kind.TEXT),
        new NewMessage(side.id(), ada, "two", Optional.empty(), Message.Kind.TEXT),
        new NewMessage(general.id(), ada, "three", Optional.empty(), Message.Kind.TEXT)));

    assertThat(store.messagesAfter(stored.get(0).id(), 10)).containsExactly(stored.get(1), stored.get(2));
    assertThat(store.messagesAfter(0, 2)).containsExactly(stored.get(0), stored.get(1));
    assertThat(store.messagesAfter(stored.get(2).id(), 10)).isEmpty();
  }

  @Test
  void messageIdsAreDenseAndFollowCommitOrderWhateverTheWriter() throws Exception {
    User ada = store.createUser("ada", User.Kind.GUEST, Optional.empty());
    Room general = store.publicRoomByName("general").orElseThrow();
    Room side = store.createPublicRoom("side", "", ada.id());
    long before = store.lastMessageId();

    List<List<Message>> perThread = concurrently(4, thread -> {
      List<Message> mine = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        mine.addAll(store.append(List.of(text(general, ada, thread + "-" + i + "a"),
            text(side, ada, thread + "-" + i + "b"), text(general, ada, thread + "-" + i + "c"))));
      }
      return mine;
    });
    List<Message> all = perThread.stream().flatMap(List::stream)
        .sorted(java.util.Comparator.comparingLong(Message::id)).toList();

    assertThat(all).extracting(Message::id).as("one id each, no hole")
        .containsExactlyElementsOf(LongStream.rangeClosed(before + 1, before + 240).boxed().toList());
    for (Room room : List.of(general, side)) {
      assertThat(all.stream().filter(m -> m.roomId() == room.id()).map(Message::seq).toList())
          .as("in id order the seqs of a room increase: ids follow commits").isSorted();
    }
    assertThat(store.lastMessageId()).isEqualTo(before + 240);
  }

  @Test
  void aFailedBatchTakesNoMessageId() {
    User ada = store.createUser("ada", User.Kind.GUEST, Optional.empty());
    Room general = store.publicRoomByName("general").orElseThrow();
    long first = store.append(List.of(text(general, ada, "one"))).get(0).id();
    Room missing = new Room(999_999_999L, "missing", Room.Kind.PUBLIC, "", 0, 0);

    assertThatThrownBy(() -> store.append(List.of(text(general, ada, "lost"), text(missing, ada, "lost too"))))
        .isInstanceOf(StoreException.class);

    assertThat(store.append(List.of(text(general, ada, "two"))).get(0).id()).isEqualTo(first + 1);
    assertThat(store.lastMessageId()).isEqualTo(first + 1);
  }

  @Test
  void aSocketSessionIsTakenOnceAndOnlyAfterItsConnectionDropped() {
    User ada = store.createUser("ada", User.Kind.GUEST, Optional.empty());
    SocketSession open = new SocketSession("pid-1", "sid-1", ada.id(), 3, Optional.of("s:abc"), 1_000, Optional.empty());
    store.saveSocketSessions(List.of(new SocketSession.Opened(open)));

    assertThat(store.takeSocketSession("pid-1")).as("still connected: not recoverable").isEmpty();

    store.saveSocketSessions(List.of(new SocketSession.Dropped("pid-1", 2_000)));
    assertThat(store.takeSocketSession("pid-1"))
        .contains(new SocketSession("pid-1", "sid-1", ada.id(), 3, Optional.of("s:abc"), 1_000, Optional.of(2_000L)));
    assertThat(store.takeSocketSession("pid-1")).as("taken once").isEmpty();
    assertThat(store.takeSocketSession("no such pid")).isEmpty();

    store.saveSocketSessions(List.of(new SocketSession.Opened(
        new SocketSession("pid-2", "sid-2", ada.id(), 3, Optional.empty(), 1_000, Optional.empty()))));
    assertThat(store.takeSocketSession("pid-2", node -> node != 3)).as("its node still runs").isEmpty();
    assertThat(store.takeSocketSession("pid-2", node -> node == 3)).as("its node was killed")
        .map(SocketSession::sid).contains("sid-2");
    assertThat(store.takeSocketSession("pid-2", node -> true)).as("taken once").isEmpty();
  }

  @Test
  void socketSessionChangesApplyInOrder() {
    User ada = store.createUser("ada", User.Kind.GUEST, Optional.empty());
    store.saveSocketSessions(List.of(
        new SocketSession.Opened(new SocketSession("a", "sa", ada.id(), 0, Optional.empty(), 1, Optional.empty())),
        new SocketSession.Dropped("a", 5),
        new SocketSession.Opened(new SocketSession("a", "sa", ada.id(), 0, Optional.empty(), 7, Optional.empty())),
        new SocketSession.Opened(new SocketSession("b", "sb", ada.id(), 0, Optional.empty(), 1, Optional.empty())),
        new SocketSession.Dropped("b", 6),
        new SocketSession.Opened(new SocketSession("c", "sc", ada.id(), 0, Optional.empty(), 1, Optional.empty())),
        new SocketSession.Ended("c")));

    assertThat(store.takeSocketSession("a")).as("connected again after its drop").isEmpty();
    assertThat(store.takeSocketSession("b")).map(SocketSession::disconnectedAt).contains(Optional.of(6L));
    store.saveSocketSessions(List.of(new SocketSession.Dropped("c", 9)));
    assertThat(store.takeSocketSession("c")).as("ended for good").isEmpty();
  }

  @Test
  void aRestartMarksTheNodesConnectedSessionsDroppedAndExpiryDeletesOldOnes() {
    User ada = store.createUser("ada", User.Kind.GUEST, Optional.empty());
    store.saveSocketSessions(List.of(
        new SocketSession.Opened(new SocketSession("mine", "s1", ada.id(), 1, Optional.empty(), 1, Optional.empty())),
        new SocketSession.Opened(new SocketSession("other node", "s2", ada.id(), 2, Optional.empty(), 1, Optional.empty())),
        new SocketSession.Opened(new SocketSession("old", "s3", ada.id(), 1, Optional.empty(), 1, Optional.empty())),
        new SocketSession.Dropped("old", 10)));

    assertThat(store.dropSocketSessions(1, 100)).isEqualTo(1);
    assertThat(store.expireSocketSessions(50)).as("only the one that dropped before 50").isEqualTo(1);

    assertThat(store.takeSocketSession("old")).isEmpty();
    assertThat(store.takeSocketSession("other node")).as("another node's session is its own business").isEmpty();
    assertThat(store.takeSocketSession("mine")).map(SocketSession::disconnectedAt).contains(Optional.of(100L));
  }

  @Test
  void reopeningKeepsTheDataAndMigratesNothing() {
    User ada = user("ada");
    Room general = general();
    Message stored = store.append(List.of(text(general, ada, "kept"))).get(0);
    database.close();

    database = reopenDatabase();
    store = new JdbcChatStore(database, new IdGenerator(1), Clock.systemUTC());

    assertThat(store.publicRooms()).extracting(Room::name).containsExactly(Room.GENERAL);
    assertThat(store.userByName("ada")).contains(ada);
    assertThat(store.page(general.id(), Optional.empty(), Optional.empty(), 10)).containsExactly(stored);
    assertThat(store.append(List.of(text(general, ada, "kept"), text(general, ada, "new"))))
        .extracting(Message::seq).containsExactly(1L, 2L);
  }

  @Test
  void pingAnswersWhileOpenOnly() {
    assertThat(store.ping()).isTrue();
    database.close();
    assertThat(store.ping()).isFalse();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  protected final User user(String name) {
    return store.createUser(name, User.Kind.GUEST, Optional.empty());
  }

  protected final Room general() {
    return store.publicRoomByName(Room.GENERAL).orElseThrow();
  }

  protected static NewMessage text(Room room, User user, String clientMsgId) {
    return text(room, user, clientMsgId, "text of " + clientMsgId);
  }

  protected static NewMessage text(Room room, User user, String clientMsgId, String text) {
    return new NewMessage(room.id(), user, text, Optional.of(clientMsgId), Message.Kind.TEXT);
  }

  private static List<Long> seqs(List<Message> messages) {
    return messages.stream().map(Message::seq).toList();
  }

  private static Long[] range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toArray(Long[]::new);
  }

  private static Map<Long, Membership> byRoom(List<Membership> memberships) {
    Map<Long, Membership> map = new java.util.HashMap<>();
    memberships.forEach(m -> map.put(m.room().id(), m));
    return map;
  }

  /** A clock a millisecond later each time it is read, so that every row gets its own time. */
  private static final class TickingClock extends Clock {
    private final AtomicLong now = new AtomicLong(1_000_000);

    @Override
    public long millis() {
      return now.incrementAndGet();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
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

  /** Work for one of several threads that start together. */
  protected interface ThreadWork<T> {
    T run(int thread) throws Exception;
  }

  /** Runs {@code work} on {@code threads} threads released at once; returns their results in thread order. */
  protected static <T> List<T> concurrently(int threads, ThreadWork<T> work) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<T> task = () -> {
          start.await();
          return work.run(thread);
        };
        futures.add(executor.submit(task));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(30, SECONDS));
      }
      return results;
    } finally {
      executor.shutdownNow();
    }
  }
}
