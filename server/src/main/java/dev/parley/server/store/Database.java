package dev.parley.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.server.chat.StoreException;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of connections to Parley's database, migrated to the current schema when it opens.
 * SQLite (a file, WAL mode) is the zero-setup default; PostgreSQL is for production and for
 * several nodes sharing one store. Closing it closes the pool.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** The file name of the SQLite database inside the data directory. */
  public static final String SQLITE_FILE_NAME = "parley.db";

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final Jdbc jdbc;
  private final String description;

  private Database(HikariDataSource pool, Dialect dialect, Jdbc jdbc, String description) {
    this.pool = pool;
    this.dialect = dialect;
    this.jdbc = jdbc;
    this.description = description;
  }

  /** The default URL: an SQLite file in the data directory. */
  public static String sqliteUrl(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE_NAME).toAbsolutePath();
  }

  /** Opens the database at {@code url} with the {@link DatabaseOptions#of default options}. */
  public static Database open(String url) {
    return open(DatabaseOptions.of(url));
  }

  /**
   * Opens the pool and migrates the schema.
   *
   * @throws StoreException if the database cannot be reached or migrated
   * @throws IllegalArgumentException if the URL is not one Parley supports
   */
  public static Database open(DatabaseOptions options) {
    String url = jdbcUrl(options.url());
    Dialect dialect = Dialect.ofJdbcUrl(url);
    HikariConfig config = new HikariConfig();
    config.setPoolName("parley-db");
    config.setMaximumPoolSize(options.maxPoolSize());
    // While the database is away a request waits this long for a connection, then fails as unavailable.
    config.setConnectionTimeout(3_000);
    String description = switch (dialect) {
      case SQLITE -> configureSqlite(config, url, options);
      case POSTGRESQL -> configurePostgresql(config, url);
    };
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("could not connect to " + description + ": " + rootMessage(e), e);
    }
    try {
      migrate(pool, dialect);
    } catch (RuntimeException e) {
      pool.close();
      throw new StoreException("could not migrate " + description + ": " + rootMessage(e), e);
    }
    log.info("Database: {}", description);
    // See Jdbc for why writers to a single-writer engine queue on a lock in the process.
    Jdbc jdbc = new Jdbc(pool, dialect.singleWriter() ? new ReentrantLock(true) : null);
    return new Database(pool, dialect, jdbc, description);
  }

  /** Sets up the pool for an SQLite file; returns what to call it in logs. */
  private static String configureSqlite(HikariConfig config, String url, DatabaseOptions options) {
    Path file = sqliteFile(url);
    createParentDirectory(file);
    config.setJdbcUrl(url);
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", options.sqliteSynchronous().name());
    config.addDataSourceProperty("foreign_keys", "true");
    config.addDataSourceProperty("busy_timeout", String.valueOf(options.busyTimeout().toMillis()));
    // BEGIN IMMEDIATE: a write transaction takes the write lock when it starts instead of
    // upgrading a read snapshot later, which fails at once (SQLITE_BUSY) under contention.
    config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    return "SQLite at " + file + " (WAL, synchronous="
        + options.sqliteSynchronous().name().toLowerCase(Locale.ROOT) + ")";
  }

  /** Sets up the pool for a PostgreSQL server; returns what to call it in logs. */
  private static String configurePostgresql(HikariConfig config, String url) {
    // The driver reports its URL (Flyway logs it), so the password goes in on its own.
    String withoutPassword = movePasswordOut(url, config);
    config.setJdbcUrl(withoutPassword);
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("ApplicationName", "parley");
    return "PostgreSQL at " + redact(withoutPassword);
  }

  private static void migrate(DataSource dataSource, Dialect dialect) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:" + dialect.migrations())
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Where the data lives, for the startup log (no password). */
  public String description() {
    return description;
  }

  Jdbc jdbc() {
    return jdbc;
  }

  DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }

  /**
   * The {@code jdbc:} form of a database URL: {@code jdbc:} URLs as they are, and
   * {@code postgresql://user:password@host:port/db?params} (or {@code postgres://…}) as
   * {@code jdbc:postgresql://host:port/db?user=…&password=…&params}.
   */
  public static String jdbcUrl(String url) {
    Objects.requireNonNull(url, "url");
    String trimmed = url.strip();
    if (trimmed.startsWith("jdbc:sqlite:") || trimmed.startsWith("jdbc:postgresql:")) {
      return trimmed;
    }
    if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
      return fromPostgresUri(trimmed);
    }
    throw new IllegalArgumentException("unsupported database URL '" + redact(url)
        + "': use jdbc:sqlite:FILE, jdbc:postgresql://HOST:PORT/DB or postgresql://USER@HOST:PORT/DB");
  }

  private static String fromPostgresUri(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("malformed database URL '" + redact(url) + "': " + e.getReason(), e);
    }
    String host = uri.getHost() == null ? "localhost" : uri.getHost();
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    List<String> params = new ArrayList<>();
    if (uri.getRawUserInfo() != null) {
      String[] userAndPassword = uri.getRawUserInfo().split(":", 2);
      params.add("user=" + reencode(userAndPassword[0]));
      if (userAndPassword.length == 2) {
        params.add("password=" + reencode(userAndPassword[1]));
      }
    }
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      params.add(uri.getRawQuery());
    }
    return "jdbc:postgresql://" + host + port + path + (params.isEmpty() ? "" : "?" + String.join("&", params));
  }

  /** From the URI's percent-encoding to the form encoding the PostgreSQL driver decodes. */
  private static String reencode(String raw) {
    String decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    return URLEncoder.encode(decoded, StandardCharsets.UTF_8);
  }

  /** Removes a {@code password} parameter from a JDBC URL into {@code config}; returns the rest. */
  private static String movePasswordOut(String jdbcUrl, HikariConfig config) {
    int query = jdbcUrl.indexOf('?');
    if (query < 0) {
      return jdbcUrl;
    }
    List<String> kept = new ArrayList<>();
    for (String param : jdbcUrl.substring(query + 1).split("&")) {
      if (param.startsWith("password=")) {
        config.setPassword(URLDecoder.decode(param.substring("password=".length()), StandardCharsets.UTF_8));
      } else if (!param.isEmpty()) {
        kept.add(param);
      }
    }
    return jdbcUrl.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }

  /** A URL with its password masked, fit for logs and error messages. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/@:]*:)[^@/]*@", "$1***@");
  }

  private static Path sqliteFile(String jdbcUrl) {
    String path = jdbcUrl.substring("jdbc:sqlite:".length());
    if (path.startsWith("file:")) {
      path = path.substring("file:".length());
    }
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.isEmpty() || path.contains(":memory:") || jdbcUrl.contains("mode=memory")) {
      throw new IllegalArgumentException("SQLite needs a file (jdbc:sqlite:/path/parley.db): an in-memory"
          + " database would be lost, and each pooled connection would see its own");
    }
    return Path.of(path).toAbsolutePath();
  }

  private static void createParentDirectory(Path file) {
    Path parent = file.getParent();
    if (parent == null) {
      return;
    }
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new StoreException("could not create the data directory " + parent + ": " + e, e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
  }

  @Override
  public String toString() {
    return "Database[" + description + "]";
  }
}
