package dev.parley.server.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Throw-away schemas on the local PostgreSQL ({@code PARLEY_TEST_PG_URL}, by default the
 * {@code test} database as {@code postgres}), one per test, so runs in parallel or one after
 * another never meet. Without a server, a test using it is skipped, saying so, unless
 * {@code CI=true}: then it fails.
 */
final class PostgresSchemas {
  static final String BASE_URL = Database.jdbcUrl(
      System.getenv().getOrDefault("PARLEY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));

  /** Why the server cannot be used, once asked; empty if it can. Guarded by the class. */
  private static Optional<String> unreachable;

  private PostgresSchemas() {}

  /** Creates a new empty schema and returns its name; skips (or fails under CI) without a server. */
  static String create() {
    checkServer().ifPresent(why -> Assumptions.abort("Skipping: " + why));
    String schema = "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  /** The JDBC URL whose connections work in {@code schema}. */
  static String url(String schema) {
    return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  static void drop(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  private static synchronized Optional<String> checkServer() {
    if (unreachable == null) {
      try (Connection c = admin()) {
        c.isValid(5);
        unreachable = Optional.empty();
      } catch (SQLException e) {
        String why = "PostgreSQL at " + Database.redact(BASE_URL) + " is unreachable (" + e.getMessage()
            + "); set PARLEY_TEST_PG_URL or start it: pg_ctlcluster --skip-systemctl-redirect"
            + " $(ls /etc/postgresql) main start";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
          fail("CI=true and " + why);
        }
        System.err.println("Skipping the PostgreSQL tests: " + why);
        unreachable = Optional.of(why);
      }
    }
    return unreachable;
  }

  private static Connection admin() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "5");
    return DriverManager.getConnection(BASE_URL, properties);
  }

  private static void execute(String sql) {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
