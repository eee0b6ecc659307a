package dev.parley.server;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The chat over HTTP on PostgreSQL (PARLEY_TEST_PG_URL, by default the local server's
 * {@code test} database), in a schema of its own: the same tests as on SQLite, sending and paging
 * history included. Skipped with a message when the server is unreachable outside CI; failing
 * under CI=true.
 */
class ChatApiPostgresIT extends ChatApiIT {
  static final String URL = System.getenv().getOrDefault("PARLEY_TEST_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  String schema;

  @Override
  @BeforeAll
  void start() throws Exception {
    schema = "chat_api_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try {
      execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      schema = null;
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true and PostgreSQL is unreachable at " + URL + ": " + e.getMessage());
      }
      assumeTrue(false, "skipped: PostgreSQL is unreachable at " + URL + ": " + e.getMessage());
    }
    super.start();
  }

  @Override
  Parley startNode() {
    return ParleyHarness.start(dir.resolve("pg"), "--db", URL + (URL.contains("?") ? "&" : "?")
        + "currentSchema=" + schema);
  }

  @Override
  @AfterAll
  void stop() {
    super.stop();
    if (schema != null) {
      try {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot drop " + schema, e);
      }
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
