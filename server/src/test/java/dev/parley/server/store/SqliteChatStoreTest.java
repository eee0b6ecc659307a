package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.chat.Message;
import dev.parley.server.chat.NewMessage;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.User;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite (a file in a temporary directory), and SQLite's own settings. */
@Timeout(value = 60, unit = SECONDS)
class SqliteChatStoreTest extends ChatStoreContract {
  @TempDir
  Path dir;

  private String url() {
    // A folder that does not exist yet: the database makes it.
    return "jdbc:sqlite:" + dir.resolve("data").resolve("parley.db");
  }

  @Override
  protected Database openDatabase() {
    return Database.open(url());
  }

  @Override
  protected Database reopenDatabase() {
    return Database.open(url());
  }

  @Override
  protected String emptyDatabaseUrl() {
    return "jdbc:sqlite:" + dir.resolve("empty.db");
  }

  @Test
  void connectionsUseWalFullSyncForeignKeysAndABusyTimeout() throws SQLException {
    assertThat(database.dialect()).isEqualTo(Dialect.SQLITE);
    assertThat(pragma("journal_mode")).isEqualTo("wal");
    assertThat(pragma("synchronous")).isEqualTo("2");
    assertThat(pragma("foreign_keys")).isEqualTo("1");
    assertThat(pragma("busy_timeout")).isEqualTo("10000");
    assertThat(database.description()).contains("parley.db", "WAL", "synchronous=full");
  }

  @Test
  void synchronousIsASetting() throws SQLException {
    database.close();
    database = Database.open(DatabaseOptions.of(url())
        .withSqliteSynchronous(DatabaseOptions.SqliteSynchronous.NORMAL));

    assertThat(pragma("synchronous")).isEqualTo("1");
  }

  @Test
  void historyPagesAndResendLookupsWalkTheirIndexes() throws SQLException {
    seedRooms(3, 1_000);
    execute("ANALYZE");

    List<String> backward = plan(JdbcChatStore.PAGE_BACKWARD, general().id(), 500L, 51);
    List<String> newest = plan(JdbcChatStore.PAGE_BACKWARD, general().id(), Long.MAX_VALUE, 51);
    List<String> forward = plan(JdbcChatStore.PAGE_FORWARD, general().id(), 500L, Long.MAX_VALUE, 51);
    for (List<String> page : List.of(backward, newest, forward)) {
      assertThat(page).as("plan %s", page).anySatisfy(step -> assertThat(step)
          .matches("SEARCH m USING (COVERING )?INDEX messages_room_seq \\(room_id=\\? AND seq[<>]\\?.*"));
      assertThat(page).as("plan %s", page).contains("SEARCH u USING INTEGER PRIMARY KEY (rowid=?)");
      assertThat(page).as("plan %s", page).noneSatisfy(step -> assertThat(step).startsWith("SCAN"));
      assertThat(page).as("plan %s", page).noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
    }

    String resend = MessageAppender.FIND_SENT + MessageAppender.FIND_SENT_TERM + " OR " + MessageAppender.FIND_SENT_TERM;
    List<String> lookup = plan(resend, 1L, "a", 2L, "b");
    assertThat(lookup).as("plan %s", lookup).anySatisfy(step -> assertThat(step).contains("messages_user_client_msg"));
    assertThat(lookup).as("plan %s", lookup).noneSatisfy(step -> assertThat(step).startsWith("SCAN"));
  }

  @Test
  void anotherProcessOnTheSameFileWaitsForTheWriteLock() throws Exception {
    // A second pool on the same file stands in for another process: only SQLite's own lock and
    // busy timeout keep the two apart.
    User ada = user("ada");
    Room general = general();
    try (Database other = Database.open(url())) {
      JdbcChatStore otherStore = new JdbcChatStore(other, new IdGenerator(2), Clock.systemUTC());
      List<JdbcChatStore> stores = List.of(store, otherStore);

      concurrently(2, t -> {
        for (int b = 0; b < 20; b++) {
          stores.get(t).append(List.of(text(general, ada, t + "-" + b + "-a"), text(general, ada, t + "-" + b + "-b")));
        }
        return null;
      });
    }

    assertThat(store.page(general.id(), Optional.empty(), Optional.of(0L), 100)).extracting(Message::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
  }

  @Test
  void inMemoryDatabasesAreRefused() {
    assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file");
    assertThatThrownBy(() -> Database.open("jdbc:sqlite:file:x?mode=memory&cache=shared"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Rooms of messages from a hundred users, so that the planner sees realistic tables. */
  private void seedRooms(int rooms, int messagesPerRoom) {
    List<User> users = new ArrayList<>();
    for (int u = 0; u < 100; u++) {
      users.add(user("seeder" + u));
    }
    List<Room> targets = new ArrayList<>(List.of(general()));
    for (int r = 1; r < rooms; r++) {
      targets.add(store.createPublicRoom("room" + r, "", users.get(0).id()));
    }
    List<NewMessage> batch = new ArrayList<>();
    for (int i = 0; i < messagesPerRoom; i++) {
      for (Room room : targets) {
        batch.add(text(room, users.get(i % users.size()), room.id() + "-" + i));
      }
      if (batch.size() >= 500) {
        store.append(batch);
        batch.clear();
      }
    }
    store.append(batch);
  }

  private String pragma(String name) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("PRAGMA " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<String> plan(String sql, Object... params) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement statement = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      Jdbc.bind(statement, params);
      List<String> steps = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          steps.add(rows.getString("detail"));
        }
      }
      return steps;
    }
  }
}
