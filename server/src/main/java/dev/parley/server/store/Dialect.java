package dev.parley.server.store;

import java.sql.SQLException;
import java.util.Set;

/**
 * The SQL engines Parley stores its data in. The schema is the same in both; what differs lives
 * in the per-dialect migration folders and in the few statements kept here.
 */
public enum Dialect {
  SQLITE(
      true,
      "jdbc:sqlite:",
      "db/migration/sqlite",
      // SQLite spells the two-argument maximum and minimum MAX and MIN.
      "UPDATE memberships SET last_read_seq = MAX(last_read_seq,"
          + " MIN(?, (SELECT r.last_seq FROM rooms r WHERE r.id = memberships.room_id)))"
          + " WHERE room_id = ? AND user_id = ? RETURNING last_read_seq",
      Set.of()),
  POSTGRESQL(
      false,
      "jdbc:postgresql:",
      "db/migration/postgresql",
      "UPDATE memberships SET last_read_seq = GREATEST(last_read_seq,"
          + " LEAST(?, (SELECT r.last_seq FROM rooms r WHERE r.id = memberships.room_id)))"
          + " WHERE room_id = ? AND user_id = ? RETURNING last_read_seq",
      // unique_violation (the same send committed by another node a moment earlier),
      // serialization_failure, deadlock_detected: running the batch again settles each.
      Set.of("23505", "40001", "40P01"));

  private final boolean singleWriter;
  private final String urlPrefix;
  private final String migrations;
  private final String markReadSql;
  private final Set<String> retryableAppendStates;

  Dialect(boolean singleWriter, String urlPrefix, String migrations, String markReadSql,
      Set<String> retryableAppendStates) {
    this.singleWriter = singleWriter;
    this.urlPrefix = urlPrefix;
    this.migrations = migrations;
    this.markReadSql = markReadSql;
    this.retryableAppendStates = retryableAppendStates;
  }

  /** The dialect of a {@code jdbc:} URL. */
  public static Dialect ofJdbcUrl(String jdbcUrl) {
    for (Dialect dialect : values()) {
      if (jdbcUrl.startsWith(dialect.urlPrefix)) {
        return dialect;
      }
    }
    throw new IllegalArgumentException("unsupported database URL: only jdbc:sqlite: and jdbc:postgresql: are");
  }

  /** Whether the engine admits one writing transaction at a time (SQLite), or many. */
  boolean singleWriter() {
    return singleWriter;
  }

  /** The classpath folder of this dialect's Flyway migrations. */
  String migrations() {
    return migrations;
  }

  /**
   * Moves a read position forward, never back and never past the room's newest seq; returns the
   * position stored. Parameters: seq, room id, user id.
   */
  String markReadSql() {
    return markReadSql;
  }

  /** Whether a failed message batch may succeed when run again as a whole. */
  boolean retryableAppend(SQLException e) {
    return e.getSQLState() != null && retryableAppendStates.contains(e.getSQLState());
  }
}
