package dev.parley.server.store;

import dev.parley.server.chat.StoreException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;

/**
 * Runs SQL on pooled connections. Every {@link SQLException} leaves as a {@link StoreException}
 * that says what was being done; a failed write rolls back as a whole.
 *
 * <p>Writes to SQLite queue on a fair in-process lock before they take a connection. SQLite
 * admits one writer at a time; without the lock, concurrent writers (the group-commit writer and
 * the threads that add users, rooms and read positions) would poll the file lock in SQLite's busy
 * handler, which sleeps up to 100 ms between tries and is not first-come first-served. With it
 * they wait their turn in order and no pooled connection is held while waiting. The busy timeout
 * still covers other processes. PostgreSQL needs no such lock: row locks order its writers.
 */
final class Jdbc {
  /** Work on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Turns the current row into a value. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private final DataSource dataSource;
  /** Null for PostgreSQL. */
  private final Lock writeLock;

  Jdbc(DataSource dataSource, Lock writeLock) {
    this.dataSource = dataSource;
    this.writeLock = writeLock;
  }

  /** Runs read-only work in auto-commit mode. {@code action} completes "could not …". */
  <T> T read(String action, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(action, e);
    }
  }

  /** Runs work in one transaction: all of it commits or none of it does. */
  <T> T write(String action, Work<T> work) {
    if (writeLock != null) {
      writeLock.lock();
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(action, e);
    } finally {
      if (writeLock != null) {
        writeLock.unlock();
      }
    }
  }

  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static StoreException failure(String action, SQLException e) {
    String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
    String message = "could not " + action + ": " + describe(e) + state;
    // No connection in time from the pool, or SQLState class 08: the connection failed.
    if (e instanceof java.sql.SQLTransientConnectionException || e.getSQLState() != null && e.getSQLState().startsWith("08")) {
      return new StoreException.Unavailable(message, e);
    }
    return new StoreException(message, e);
  }

  /**
   * What went wrong, fit for a log. A failed JDBC batch names its statement with every bound
   * value, message text included; the server's own error says what matters without it.
   */
  static String describe(SQLException e) {
    if (e instanceof BatchUpdateException && e.getNextException() != null) {
      return e.getNextException().getMessage();
    }
    return e.getMessage();
  }

  static <T> List<T> list(Connection connection, String sql, RowMapper<T> mapper, Object... params)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      try (ResultSet rows = statement.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rows.next()) {
          result.add(mapper.map(rows));
        }
        return result;
      }
    }
  }

  static <T> Optional<T> first(Connection connection, String sql, RowMapper<T> mapper, Object... params)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
      }
    }
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed. */
  static int update(Connection connection, String sql, Object... params) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      return statement.executeUpdate();
    }
  }

  /**
   * Binds parameters in order. {@code Optional<String>} binds its value or SQL NULL, so the
   * domain's optionals reach the database without nulls in between.
   */
  static void bind(PreparedStatement statement, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object param = params[i];
      if (param instanceof Optional<?> optional) {
        param = optional.orElse(null);
      }
      if (param == null) {
        statement.setNull(i + 1, Types.VARCHAR);
      } else if (param instanceof Long value) {
        statement.setLong(i + 1, value);
      } else if (param instanceof Integer value) {
        statement.setInt(i + 1, value);
      } else if (param instanceof String value) {
        statement.setString(i + 1, value);
      } else {
        throw new IllegalArgumentException("cannot bind a " + param.getClass().getName());
      }
    }
  }
}
