package dev.parley.server.store;

import static dev.parley.server.store.Jdbc.first;
import static dev.parley.server.store.Jdbc.update;

import dev.parley.server.auth.TwoFactorStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@link TwoFactorStore} on a JDBC {@link Database}, SQLite or PostgreSQL. Thread-safe: it
 * holds no mutable state; every check-and-change is one conditional statement or transaction, so
 * concurrent uses of one code, recovery code or challenge have exactly one winner.
 */
public final class JdbcTwoFactorStore implements TwoFactorStore {
  private static final String CREDENTIAL = "SELECT user_id, secret, created_at, enabled_at, last_step"
      + " FROM totp_credentials WHERE user_id = ?";
  private static final String CLEAR_PENDING = "DELETE FROM totp_credentials WHERE user_id = ? AND enabled_at IS NULL";
  private static final String INSERT_PENDING = "INSERT INTO totp_credentials (user_id, secret, created_at)"
      + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String ENABLE = "UPDATE totp_credentials SET enabled_at = ?, last_step = ?"
      + " WHERE user_id = ? AND secret = ? AND enabled_at IS NULL";
  private static final String DELETE_CODES = "DELETE FROM totp_recovery_codes WHERE user_id = ?";
  private static final String INSERT_CODE = "INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (?, ?)";
  private static final String DELETE_CREDENTIAL = "DELETE FROM totp_credentials WHERE user_id = ?";
  private static final String DELETE_CHALLENGES_OF = "DELETE FROM sign_in_challenges WHERE user_id = ?";
  private static final String USE_STEP = "UPDATE totp_credentials SET last_step = ?"
      + " WHERE user_id = ? AND enabled_at IS NOT NULL AND last_step < ?";
  private static final String USE_CODE = "UPDATE totp_recovery_codes SET used_at = ?"
      + " WHERE user_id = ? AND code_hash = ? AND used_at IS NULL";
  private static final String UNUSED_CODES = "SELECT COUNT(*) FROM totp_recovery_codes"
      + " WHERE user_id = ? AND used_at IS NULL";
  private static final String INSERT_CHALLENGE = "INSERT INTO sign_in_challenges (id, user_id, created_at, expires_at)"
      + " VALUES (?, ?, ?, ?)";
  private static final String CHALLENGE = "SELECT id, user_id, created_at, expires_at, failures"
      + " FROM sign_in_challenges WHERE id = ?";
  private static final String FAIL_CHALLENGE = "UPDATE sign_in_challenges SET failures = failures + 1 WHERE id = ?";
  private static final String FAILURES = "SELECT failures FROM sign_in_challenges WHERE id = ?";
  private static final String CONSUME_CHALLENGE = "DELETE FROM sign_in_challenges WHERE id = ?";
  private static final String DELETE_EXPIRED = "DELETE FROM sign_in_challenges WHERE expires_at < ?";

  private final Jdbc jdbc;

  public JdbcTwoFactorStore(Database database) {
    this.jdbc = database.jdbc();
  }

  @Override
  public Optional<Credential> credential(long userId) {
    return jdbc.read("read the authenticator of user " + userId,
        c -> first(c, CREDENTIAL, JdbcTwoFactorStore::credential, userId));
  }

  @Override
  public boolean beginSetup(long userId, String secret, Instant at) {
    return jdbc.write("set up an authenticator for user " + userId, c -> {
      update(c, CLEAR_PENDING, userId);
      return update(c, INSERT_PENDING, userId, secret, at.toEpochMilli()) == 1;
    });
  }

  @Override
  public boolean enable(long userId, String secret, long step, List<String> recoveryCodeHashes, Instant at) {
    return jdbc.write("turn on the authenticator of user " + userId, c -> {
      if (update(c, ENABLE, at.toEpochMilli(), step, userId, secret) == 0) {
        return false;
      }
      update(c, DELETE_CODES, userId);
      for (String hash : recoveryCodeHashes) {
        update(c, INSERT_CODE, userId, hash);
      }
      return true;
    });
  }

  @Override
  public boolean disable(long userId) {
    return jdbc.write("turn off the authenticator of user " + userId, c -> {
      update(c, DELETE_CODES, userId);
      update(c, DELETE_CHALLENGES_OF, userId);
      return update(c, DELETE_CREDENTIAL, userId) == 1;
    });
  }

  @Override
  public boolean useStep(long userId, long step) {
    return jdbc.write("record a code of user " + userId, c -> update(c, USE_STEP, step, userId, step) == 1);
  }

  @Override
  public boolean useRecoveryCode(long userId, String codeHash, Instant at) {
    return jdbc.write("use a recovery code of user " + userId,
        c -> update(c, USE_CODE, at.toEpochMilli(), userId, codeHash) == 1);
  }

  @Override
  public int unusedRecoveryCodes(long userId) {
    return jdbc.read("count the recovery codes of user " + userId,
        c -> first(c, UNUSED_CODES, row -> row.getInt(1), userId).orElse(0));
  }

  @Override
  public void createChallenge(Challenge ch) {
    jdbc.write("store a sign-in challenge for user " + ch.userId(), c -> update(c, INSERT_CHALLENGE, ch.id(),
        ch.userId(), ch.createdAt().toEpochMilli(), ch.expiresAt().toEpochMilli()));
  }

  @Override
  public Optional<Challenge> challenge(String id) {
    return jdbc.read("find a sign-in challenge", c -> first(c, CHALLENGE, JdbcTwoFactorStore::challenge, id));
  }

  @Override
  public int failChallenge(String id) {
    return jdbc.write("count a wrong code", c -> {
      update(c, FAIL_CHALLENGE, id);
      return first(c, FAILURES, row -> row.getInt(1), id).orElse(Integer.MAX_VALUE);
    });
  }

  @Override
  public boolean consumeChallenge(String id) {
    return jdbc.write("use a sign-in challenge", c -> update(c, CONSUME_CHALLENGE, id) == 1);
  }

  @Override
  public int deleteExpiredChallenges(Instant now) {
    return jdbc.write("delete expired sign-in challenges", c -> update(c, DELETE_EXPIRED, now.toEpochMilli()));
  }

  private static Credential credential(ResultSet row) throws SQLException {
    long enabled = row.getLong("enabled_at");
    Optional<Instant> enabledAt = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(enabled));
    return new Credential(row.getLong("user_id"), row.getString("secret"),
        Instant.ofEpochMilli(row.getLong("created_at")), enabledAt, row.getLong("last_step"));
  }

  private static Challenge challenge(ResultSet row) throws SQLException {
    return new Challenge(row.getString("id"), row.getLong("user_id"), Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("expires_at")), row.getInt("failures"));
  }
}
