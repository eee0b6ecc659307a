package dev.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.parley.server.store.Database;
import dev.parley.server.store.IdGenerator;
import dev.parley.server.store.JdbcChatStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The group-commit writer on a real SQLite store, with a gate to hold a batch in the database. */
@Timeout(30)
class MessageWriterTest {
  @TempDir
  Path dir;
  Database database;
  ChatStore store;
  /** Released to let the held append go on. */
  final CountDownLatch gate = new CountDownLatch(1);
  /** Counted down when an append is waiting at the gate. */
  final CountDownLatch holding = new CountDownLatch(1);
  final BlockingQueue<Message> delivered = new LinkedBlockingQueue<>();
  User ada;
  long general;

  @BeforeEach
  void open() {
    database = Database.open(Database.sqliteUrl(dir));
    ChatStore real = new JdbcChatStore(database, new IdGenerator(0));
    InvocationHandler gated = (proxy, method, args) -> {
      if (method.getName().equals("append")) {
        holding.countDown();
        gate.await(20, TimeUnit.SECONDS);
        @SuppressWarnings("unchecked")
        List<NewMessage> batch = (List<NewMessage>) args[0];
        if (batch.stream().anyMatch(m -> m.text().equals("refused by the store"))) {
          throw new StoreException("the store refuses this batch");
        }
      }
      try {
        return method.invoke(real, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    };
    store = (ChatStore) Proxy.newProxyInstance(ChatStore.class.getClassLoader(), new Class<?>[] {ChatStore.class}, gated);
    ada = real.createUser("ada", User.Kind.GUEST, Optional.empty());
    general = real.publicRoomByName(Room.GENERAL).orElseThrow().id();
    real.addMember(general, ada.id());
  }

  @AfterEach
  void close() {
    gate.countDown();
    database.close();
  }

  NewMessage text(String text, String id) {
    return new NewMessage(general, ada, text, Optional.of(id), Message.Kind.TEXT);
  }

  @Test
  void aFullQueueRefusesWithOverloadedAndLosesNothingItAccepted() throws Exception {
    try (MessageWriter writer = new MessageWriter(store, 2, 1, delivered::addAll, new MessageWriter.Observer() {})) {
      CompletableFuture<Message> first = writer.submit(text("one", "1"));
      assertThat(holding.await(5, TimeUnit.SECONDS)).as("Timed out waiting for the first batch").isTrue();
      CompletableFuture<Message> second = writer.submit(text("two", "2"));
      CompletableFuture<Message> third = writer.submit(text("three", "3"));
      CompletableFuture<Message> refused = writer.submit(text("four", "4"));

      Throwable error = catchThrowable(() -> refused.get(5, TimeUnit.SECONDS));
      assertThat(error).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ChatException.class);
      assertThat(((ChatException) error.getCause()).code()).isEqualTo(ChatException.Code.OVERLOADED);
      assertThat(first).isNotDone();

      gate.countDown();
      List<Long> seqs = List.of(first.get(5, TimeUnit.SECONDS).seq(), second.get(5, TimeUnit.SECONDS).seq(),
          third.get(5, TimeUnit.SECONDS).seq());
      assertThat(seqs.get(1)).isEqualTo(seqs.get(0) + 1);
      assertThat(seqs.get(2)).isEqualTo(seqs.get(1) + 1);
      for (long seq : seqs) {
        Message m = delivered.poll(5, TimeUnit.SECONDS);
        assertThat(m).as("Timed out waiting for delivery").isNotNull();
        assertThat(m.seq()).as("delivered in seq order").isEqualTo(seq);
      }
    }
  }

  @Test
  void aRetriedSendIsStoredAndDeliveredOnce() throws Exception {
    gate.countDown();
    try (MessageWriter writer = new MessageWriter(store, 100, 10, delivered::addAll, new MessageWriter.Observer() {})) {
      Message first = writer.submit(text("once", "same")).get(5, TimeUnit.SECONDS);
      Message again = writer.submit(text("once", "same")).get(5, TimeUnit.SECONDS);
      assertThat(again.id()).isEqualTo(first.id());
      assertThat(delivered.poll(5, TimeUnit.SECONDS)).isEqualTo(first);
      // A marker proves the retry was not delivered again: it is the next delivery.
      Message marker = writer.submit(text("marker", "m")).get(5, TimeUnit.SECONDS);
      assertThat(delivered.poll(5, TimeUnit.SECONDS)).isEqualTo(marker);
    }
  }

  @Test
  void closingStoresWhatIsQueued() throws Exception {
    MessageWriter writer = new MessageWriter(store, 100, 1, delivered::addAll, new MessageWriter.Observer() {});
    CompletableFuture<Message> first = writer.submit(text("a", "a"));
    assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Message> queued = writer.submit(text("b", "b"));
    gate.countDown();
    writer.close();
    assertThat(first).isCompleted();
    assertThat(queued).isCompleted();
    assertThat(queued.get().seq()).isEqualTo(first.get().seq() + 1);
    assertThat(writer.submit(text("c", "c"))).isCompletedExceptionally();
  }

  @Test
  void aMessageTheStoreRefusesFailsAloneNotItsWholeBatch() throws Exception {
    try (MessageWriter writer = new MessageWriter(store, 100, 10, delivered::addAll, new MessageWriter.Observer() {})) {
      CompletableFuture<Message> held = writer.submit(text("held", "h"));
      assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
      // These three queue behind the held batch and are then stored as one batch.
      CompletableFuture<Message> before = writer.submit(text("before", "b"));
      CompletableFuture<Message> bad = writer.submit(text("refused by the store", "x"));
      CompletableFuture<Message> after = writer.submit(text("after", "a"));
      gate.countDown();

      assertThat(held.get(5, TimeUnit.SECONDS).text()).isEqualTo("held");
      assertThat(before.get(5, TimeUnit.SECONDS).text()).isEqualTo("before");
      assertThat(after.get(5, TimeUnit.SECONDS).seq()).isEqualTo(before.get().seq() + 1);
      Throwable error = catchThrowable(() -> bad.get(5, TimeUnit.SECONDS));
      assertThat(error).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ChatException.class);
      assertThat(((ChatException) error.getCause()).code()).isEqualTo(ChatException.Code.INTERNAL);
    }
  }
}
