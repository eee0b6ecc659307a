package dev.parley.server.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How to open the {@link Database}.
 *
 * @param url {@code jdbc:sqlite:FILE}, {@code jdbc:postgresql://…} or
 *     {@code postgresql://user[:password]@host[:port]/db}
 * @param maxPoolSize the most connections the pool holds
 * @param busyTimeout SQLite: how long a connection waits for the write lock held by another
 *     process before failing
 * @param sqliteSynchronous SQLite: when a commit reaches the disk
 */
public record DatabaseOptions(String url, int maxPoolSize, Duration busyTimeout,
    SqliteSynchronous sqliteSynchronous) {
  /**
   * SQLite's {@code synchronous} setting in WAL mode. Parley acknowledges a message only after
   * its commit, so the default is {@link #FULL}: a commit survives a power cut.
   */
  public enum SqliteSynchronous {
    /** Commits survive a crash of the process but the last ones may be lost on a power cut. */
    NORMAL,
    /** Every commit is synced to the disk before it returns. */
    FULL,
    /** As {@link #FULL}, and the directory is synced too. */
    EXTRA
  }

  /** SQLite has one writer at a time; a few connections serve the readers WAL lets run beside it. */
  static final int SQLITE_POOL_SIZE = 4;

  static final int POSTGRESQL_POOL_SIZE = 10;

  public DatabaseOptions {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(sqliteSynchronous, "sqliteSynchronous");
    if (url.isBlank()) {
      throw new IllegalArgumentException("url must not be blank");
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
    }
    if (busyTimeout.isNegative() || busyTimeout.isZero()) {
      throw new IllegalArgumentException("busyTimeout must be positive, was " + busyTimeout);
    }
  }

  /** The defaults for a URL: a pool sized for its engine, 10 s busy timeout, synchronous FULL. */
  public static DatabaseOptions of(String url) {
    Dialect dialect = Dialect.ofJdbcUrl(Database.jdbcUrl(url));
    int poolSize = dialect == Dialect.SQLITE ? SQLITE_POOL_SIZE : POSTGRESQL_POOL_SIZE;
    return new DatabaseOptions(url, poolSize, Duration.ofSeconds(10), SqliteSynchronous.FULL);
  }

  /** Without the password the URL may hold. */
  @Override
  public String toString() {
    return "DatabaseOptions[url=" + Database.redact(url) + ", maxPoolSize=" + maxPoolSize
        + ", busyTimeout=" + busyTimeout + ", sqliteSynchronous=" + sqliteSynchronous + "]";
  }

  public DatabaseOptions withMaxPoolSize(int maxPoolSize) {
    return new DatabaseOptions(url, maxPoolSize, busyTimeout, sqliteSynchronous);
  }

  public DatabaseOptions withBusyTimeout(Duration busyTimeout) {
    return new DatabaseOptions(url, maxPoolSize, busyTimeout, sqliteSynchronous);
  }

  public DatabaseOptions withSqliteSynchronous(SqliteSynchronous sqliteSynchronous) {
    return new DatabaseOptions(url, maxPoolSize, busyTimeout, sqliteSynchronous);
  }
}
