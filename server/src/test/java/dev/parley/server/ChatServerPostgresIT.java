package dev.parley.server;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The /chat protocol end to end on PostgreSQL (PARLEY_TEST_PG_URL, by default the local server's
 * {@code test} database), each test in a schema of its own. Skipped with a message when the server
 * is unreachable outside CI; failing under CI=true.
 */
class ChatServerPostgresIT extends ChatServerIT {
  static final String URL = System.getenv().getOrDefault("PARLEY_TEST_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  String schema;

  @Override
  @BeforeEach
  void start() throws Exception {
    schema = "chat_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try {
      execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true and PostgreSQL is unreachable at " + URL + ": " + e.getMessage());
      }
      assumeTrue(false, "skipped: PostgreSQL is unreachable at " + URL + ": " + e.getMessage());
    }
    super.start();
  }

  @Override
  Parley startNode() {
    String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return ParleyHarness.start(dataDir, "--db", url);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (schema != null) {
      stop();
      parley = null;
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
