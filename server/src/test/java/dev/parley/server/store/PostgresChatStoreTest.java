package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.server.chat.Message;
import dev.parley.server.chat.NewMessage;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store contract on the local PostgreSQL ({@code PARLEY_TEST_PG_URL}, by default the
 * {@code test} database as {@code postgres}). Each test works in a schema of its own, created
 * before and dropped after it, so runs in parallel or one after another never meet. Without a
 * server the tests are skipped, saying so, unless {@code CI=true}: then they fail.
 */
@Timeout(value = 60, unit = SECONDS)
class PostgresChatStoreTest extends ChatStoreContract {
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String BASE_URL = Database.jdbcUrl(
      System.getenv().getOrDefault("PARLEY_TEST_PG_URL", DEFAULT_URL));

  /** Why the server cannot be used, once {@link #checkServer()} has found out; empty if it can. */
  private static Optional<String> unreachable = Optional.empty();

  private String schema;
  /** The schema of {@link #emptyDatabaseUrl()}, once asked for. */
  private String emptySchema;

  @BeforeAll
  static void checkServer() {
    try (Connection c = admin()) {
      c.isValid(5);
      unreachable = Optional.empty();
    } catch (SQLException e) {
      String why = "PostgreSQL at " + Database.redact(BASE_URL) + " is unreachable (" + e.getMessage()
          + "); set PARLEY_TEST_PG_URL or start it: pg_ctlcluster --skip-systemctl-redirect"
          + " $(ls /etc/postgresql) main start";
      if (underCi()) {
        fail("CI=true and " + why);
      }
      unreachable = Optional.of(why);
      System.err.println("Skipping the PostgreSQL store tests: " + why);
    }
  }

  private static boolean underCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }

  private static Connection admin() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "5");
    return DriverManager.getConnection(BASE_URL, properties);
  }

  private static void adminExecute(String sql) {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private String url() {
    return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Override
  protected Database openDatabase() {
    unreachable.ifPresent(why -> Assumptions.abort("Skipping: " + why));
    schema = "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    adminExecute("CREATE SCHEMA " + schema);
    return open();
  }

  @Override
  protected Database reopenDatabase() {
    return open();
  }

  /** A small pool: each test opens its own, and the concurrency tests need no more. */
  private Database open() {
    return Database.open(DatabaseOptions.of(url()).withMaxPoolSize(4));
  }

  @Override
  protected String emptyDatabaseUrl() {
    emptySchema = schema + "_empty";
    adminExecute("CREATE SCHEMA " + emptySchema);
    return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + emptySchema;
  }

  @Override
  protected void dropDatabase() {
    if (emptySchema != null) {
      adminExecute("DROP SCHEMA IF EXISTS " + emptySchema + " CASCADE");
    }
    if (schema == null) {
      return;
    }
    adminExecute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  @Test
  void theSchemaLivesInTheTestsOwnSchema() throws SQLException {
    assertThat(database.dialect()).isEqualTo(Dialect.POSTGRESQL);
    try (Connection c = admin(); PreparedStatement s = c.prepareStatement(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name")) {
      s.setString(1, schema);
      List<String> tables = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      assertThat(tables).containsExactly("account_identities", "cluster_identity", "email_codes", "flyway_schema_history", "memberships",
          "message_clock", "messages", "personal_tokens", "refresh_tokens", "rooms", "sign_in_challenges",
          "signing_key", "socket_sessions", "totp_credentials", "totp_recovery_codes", "users", "web_sessions");
    }
  }

  @Test
  void historyPagesAndResendLookupsUseIndexScans() throws SQLException {
    seedRooms(3, 3_000);
    execute("ANALYZE");

    List<String> plans = List.of(
        plan(JdbcChatStore.PAGE_BACKWARD, general().id(), 1_500L, 51),
        plan(JdbcChatStore.PAGE_BACKWARD, general().id(), Long.MAX_VALUE, 51),
        plan(JdbcChatStore.PAGE_FORWARD, general().id(), 1_500L, Long.MAX_VALUE, 51));
    for (String plan : plans) {
      assertThat(plan).containsPattern("Index Scan( Backward)? using messages_room_seq on messages")
          .doesNotContain("Seq Scan on messages").doesNotContain("Sort");
    }

    String resend = MessageAppender.FIND_SENT + MessageAppender.FIND_SENT_TERM + " OR " + MessageAppender.FIND_SENT_TERM;
    assertThat(plan(resend, 1L, "a", 2L, "b")).contains("messages_user_client_msg")
        .doesNotContain("Seq Scan on messages");
  }

  @Test
  void aSendCommittedByAnotherNodeMeanwhileIsFoundWhenTheBatchRunsAgain() throws Exception {
    // Both nodes look for the send before either has stored it, then queue on the room's row
    // lock; the second to get it meets the unique index, and its batch must run again.
    User ada = user("ada");
    Room general = general();
    try (Database secondNode = reopenDatabase(); Connection blocker = admin()) {
      List<JdbcChatStore> nodes = List.of(store, new JdbcChatStore(secondNode, new IdGenerator(2)));
      blocker.setAutoCommit(false);
      long blockerPid;
      try (Statement s = blocker.createStatement()) {
        s.execute("SELECT last_seq FROM " + schema + ".rooms WHERE id = " + general.id() + " FOR UPDATE");
        try (ResultSet rows = s.executeQuery("SELECT pg_backend_pid()")) {
          rows.next();
          blockerPid = rows.getLong(1);
        }
      }
      ExecutorService executor = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<Message>>> sends = new ArrayList<>();
        for (JdbcChatStore node : nodes) {
          sends.add(executor.submit(() -> node.append(List.of(text(general, ada, "resent")))));
        }
        awaitWaitingBehind(blockerPid, 2);
        blocker.commit();

        Message first = sends.get(0).get(10, SECONDS).get(0);
        assertThat(sends.get(1).get(10, SECONDS)).containsExactly(first);
        assertThat(store.lastSeqs(List.of(general.id()))).containsEntry(general.id(), 1L);
      } finally {
        executor.shutdownNow();
      }
    }
  }

  /**
   * Polls, for at most ten seconds, until {@code count} sessions wait behind session {@code pid}:
   * directly, or behind another waiter (PostgreSQL queues row lock waiters one behind the other).
   */
  private static void awaitWaitingBehind(long pid, int count) throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    try (Connection c = admin(); PreparedStatement s = c.prepareStatement("WITH RECURSIVE waiting (pid) AS ("
        + " SELECT a.pid FROM pg_stat_activity a WHERE ?::int = ANY (pg_blocking_pids(a.pid))"
        + " UNION SELECT a.pid FROM pg_stat_activity a JOIN waiting w ON w.pid = ANY (pg_blocking_pids(a.pid)))"
        + " SELECT count(*) FROM waiting")) {
      s.setLong(1, pid);
      while (true) {
        try (ResultSet rows = s.executeQuery()) {
          rows.next();
          if (rows.getInt(1) >= count) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          fail("Timed out waiting for " + count + " sessions to wait behind session " + pid);
        }
        Thread.sleep(10);
      }
    }
  }

  @Test
  void theShortUrlFormOpensTheSameDatabase() {
    Assumptions.assumeTrue(BASE_URL.equals(DEFAULT_URL), "only checked against the default server");
    User ada = user("ada");

    try (Database shortForm = Database.open("postgresql://postgres@127.0.0.1:5432/test?currentSchema=" + schema)) {
      JdbcChatStore other = new JdbcChatStore(shortForm, new IdGenerator(2));
      assertThat(other.userByName("ada")).contains(ada);
    }
  }

  /** Rooms of messages from a hundred users, so that the planner sees realistic tables. */
  @Test
  void aPasswordInTheUrlStaysOutOfTheDriversUrl() throws SQLException {
    // The local server trusts every connection, so any password is accepted and ignored.
    try (Database withPassword = Database.open(url() + "&password=s3cret%26more");
        Connection c = withPassword.dataSource().getConnection()) {
      assertThat(c.getMetaData().getURL()).doesNotContain("s3cret").contains("currentSchema=" + schema);
      assertThat(withPassword.description()).doesNotContain("s3cret");
    }
  }

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
      if (batch.size() >= 1_000) {
        store.append(batch);
        batch.clear();
      }
    }
    store.append(batch);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private String plan(String sql, Object... params) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement statement = c.prepareStatement("EXPLAIN " + sql)) {
      Jdbc.bind(statement, params);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }
}
