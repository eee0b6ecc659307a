package dev.parley.server.store;

import static dev.parley.server.store.Jdbc.first;
import static dev.parley.server.store.Jdbc.update;

import dev.parley.server.auth.EmailCode;
import dev.parley.server.auth.EmailStore;
import dev.parley.server.chat.StoreException;
import dev.parley.server.chat.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link EmailStore} on a JDBC {@link Database}, SQLite or PostgreSQL: addresses in
 * {@code users.email} (as given) and {@code users.email_lower} (as compared), codes in
 * {@code email_codes}, one row per account. The unique index {@code users_verified_email} keeps a
 * verified address to one account even when two verify at once. Thread-safe: it holds no mutable
 * state.
 */
public final class JdbcEmailStore implements EmailStore {
  private static final String ACCOUNT = Rows.code(User.Kind.ACCOUNT);
  private static final String CURRENT = "SELECT email_lower, email_verified FROM users"
      + " WHERE id = ? AND kind = '" + ACCOUNT + "' AND deactivated_at IS NULL";
  private static final String VERIFIED_ELSEWHERE = "SELECT 1 FROM users"
      + " WHERE email_lower = ? AND email_verified = TRUE AND id <> ?";
  private static final String SET_EMAIL = "UPDATE users SET email = ?, email_lower = ?, email_verified = FALSE"
      + " WHERE id = ?";
  private static final String DELETE_CODE = "DELETE FROM email_codes WHERE user_id = ?";
  private static final String INSERT_CODE = "INSERT INTO email_codes"
      + " (user_id, address, code_salt, code_hash, created_at, expires_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String TAKE_ATTEMPT = "UPDATE email_codes SET attempts = attempts + 1"
      + " WHERE user_id = ? AND expires_at > ? AND attempts < ?";
  private static final String CODE = "SELECT user_id, address, code_salt, code_hash, created_at, expires_at, attempts"
      + " FROM email_codes WHERE user_id = ?";
  private static final String MARK_VERIFIED = "UPDATE users SET email_verified = TRUE"
      + " WHERE id = ? AND email_lower = ? AND deactivated_at IS NULL";
  private static final String PURGE_CODES = "DELETE FROM email_codes WHERE expires_at <= ? OR attempts >= ?";

  private static final int SQLITE_CONSTRAINT = 19;
  private static final int SQLITE_CONSTRAINT_UNIQUE = 2067;

  private final Jdbc jdbc;

  public JdbcEmailStore(Database database) {
    this.jdbc = database.jdbc();
  }

  @Override
  public SetResult setEmail(long userId, String email) {
    Objects.requireNonNull(email, "email");
    String lower = Rows.lower(email);
    return jdbc.write("set the email address of user " + userId, c -> {
      Optional<Boolean> unchanged = first(c, CURRENT,
          row -> lower.equals(row.getString(1)) && row.getBoolean(2), userId);
      if (unchanged.isEmpty()) {
        return SetResult.NO_ACCOUNT;
      }
      if (unchanged.get()) {
        return SetResult.UNCHANGED;
      }
      if (first(c, VERIFIED_ELSEWHERE, row -> true, lower, userId).isPresent()) {
        return SetResult.TAKEN;
      }
      update(c, SET_EMAIL, email, lower, userId);
      update(c, DELETE_CODE, userId);
      return SetResult.SET;
    });
  }

  @Override
  public void saveCode(EmailCode code) {
    jdbc.write("store an email code of user " + code.userId(), c -> {
      update(c, DELETE_CODE, code.userId());
      return update(c, INSERT_CODE, code.userId(), code.address(), code.salt(), code.hash(),
          code.createdAt().toEpochMilli(), code.expiresAt().toEpochMilli(), code.attempts());
    });
  }

  @Override
  public Optional<EmailCode> takeAttempt(long userId, Instant now, int maxAttempts) {
    return jdbc.write("check an email code of user " + userId, c -> {
      if (update(c, TAKE_ATTEMPT, userId, now.toEpochMilli(), maxAttempts) == 0) {
        return Optional.empty();
      }
      return first(c, CODE, JdbcEmailStore::code, userId);
    });
  }

  @Override
  public VerifyResult markVerified(long userId, String address) {
    try {
      return jdbc.write("verify the email address of user " + userId, c -> {
        if (first(c, VERIFIED_ELSEWHERE, row -> true, address, userId).isPresent()) {
          return VerifyResult.TAKEN;
        }
        if (update(c, MARK_VERIFIED, userId, address) == 0) {
          return VerifyResult.ADDRESS_CHANGED;
        }
        update(c, DELETE_CODE, userId);
        return VerifyResult.VERIFIED;
      });
    } catch (StoreException e) {
      // Two accounts verifying one address at once: the index lets the first commit win.
      if (uniqueViolation(e.getCause())) {
        return VerifyResult.TAKEN;
      }
      throw e;
    }
  }

  @Override
  public int purgeCodes(Instant now, int maxAttempts) {
    return jdbc.write("delete expired email codes", c -> update(c, PURGE_CODES, now.toEpochMilli(), maxAttempts));
  }

  /** PostgreSQL's unique_violation, or SQLite's SQLITE_CONSTRAINT (plain or _UNIQUE). */
  private static boolean uniqueViolation(Throwable e) {
    return e instanceof SQLException sql && ("23505".equals(sql.getSQLState())
        || sql.getErrorCode() == SQLITE_CONSTRAINT || sql.getErrorCode() == SQLITE_CONSTRAINT_UNIQUE);
  }

  private static EmailCode code(ResultSet row) throws SQLException {
    return new EmailCode(row.getLong("user_id"), row.getString("address"), row.getString("code_salt"),
        row.getString("code_hash"), Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("expires_at")), row.getInt("attempts"));
  }
}
