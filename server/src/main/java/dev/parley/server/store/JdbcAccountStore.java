package dev.parley.server.store;

import static dev.parley.server.store.Jdbc.first;
import static dev.parley.server.store.Jdbc.list;
import static dev.parley.server.store.Jdbc.update;

import dev.parley.server.auth.Account;
import dev.parley.server.auth.AccountStore;
import dev.parley.server.auth.PersonalToken;
import dev.parley.server.auth.RefreshToken;
import dev.parley.server.auth.Role;
import dev.parley.server.auth.WebSession;
import dev.parley.server.chat.StoreException;
import dev.parley.server.chat.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link AccountStore} on a JDBC {@link Database}, SQLite or PostgreSQL. Accounts are rows of
 * {@code users} with kind {@code account}, so they share the case-insensitive name index with
 * guests. Thread-safe: it holds no mutable state. Times are stored as epoch milliseconds.
 */
public final class JdbcAccountStore implements AccountStore {
  private static final String ACCOUNT = Rows.code(User.Kind.ACCOUNT);
  static final String ACCOUNT_COLUMNS = "u.id AS user_id, u.name AS user_name, u.display_name,"
      + " u.email, u.email_verified, u.role, u.created_at AS user_created_at, u.deactivated_at";
  private static final String SESSION_COLUMNS = "s.id AS session_id, s.user_id AS session_user_id,"
      + " s.created_at AS session_created_at, s.expires_at AS session_expires_at, s.last_seen_at,"
      + " s.revoked_at AS session_revoked_at, s.user_agent";
  private static final String TOKEN_COLUMNS = "t.id AS token_id, t.user_id AS token_user_id, t.name AS token_name,"
      + " t.prefix, t.created_at AS token_created_at, t.expires_at AS token_expires_at, t.last_used_at,"
      + " t.revoked_at AS token_revoked_at";
  private static final String REFRESH_COLUMNS = "id, family_id, session_id, user_id, created_at, expires_at,"
      + " used_at, revoked_at";

  // ---- accounts
  private static final String INSERT_ACCOUNT = "INSERT INTO users (id, name, name_lower, kind, created_at,"
      + " password_hash, display_name, email, email_lower) VALUES (?, ?, ?, '" + ACCOUNT + "', ?, ?, ?, ?, ?)"
      + " ON CONFLICT DO NOTHING";
  private static final String ACCOUNT_BY_ID = "SELECT " + ACCOUNT_COLUMNS + " FROM users u"
      + " WHERE u.id = ? AND u.kind = '" + ACCOUNT + "'";
  private static final String ACCOUNT_BY_NAME = "SELECT " + ACCOUNT_COLUMNS + " FROM users u"
      + " WHERE u.name_lower = ? AND u.kind = '" + ACCOUNT + "'";
  private static final String PASSWORD_HASH = "SELECT password_hash FROM users WHERE id = ? AND kind = '" + ACCOUNT + "'";
  private static final String SET_PASSWORD_HASH = "UPDATE users SET password_hash = ? WHERE id = ? AND kind = '"
      + ACCOUNT + "'";
  private static final String DEACTIVATE = "UPDATE users SET deactivated_at = ?"
      + " WHERE id = ? AND kind = '" + ACCOUNT + "' AND deactivated_at IS NULL";

  // ---- sessions
  private static final String INSERT_SESSION = "INSERT INTO web_sessions"
      + " (id, user_id, created_at, expires_at, last_seen_at, user_agent) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String SESSION = "SELECT " + SESSION_COLUMNS + ", " + ACCOUNT_COLUMNS
      + " FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?";
  private static final String TOUCH_SESSION = "UPDATE web_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?";
  private static final String REVOKE_SESSION = "UPDATE web_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
  private static final String LIVE_SESSIONS_BUT = "SELECT id FROM web_sessions"
      + " WHERE user_id = ? AND revoked_at IS NULL AND id <> ? ORDER BY id";
  private static final String REVOKE_SESSIONS_BUT = "UPDATE web_sessions SET revoked_at = ?"
      + " WHERE user_id = ? AND revoked_at IS NULL AND id <> ?";
  private static final String LIVE_SESSIONS = "SELECT " + SESSION_COLUMNS + " FROM web_sessions s"
      + " WHERE s.user_id = ? AND s.revoked_at IS NULL AND s.expires_at > ? ORDER BY s.created_at DESC, s.id";
  private static final String LIVE_FAMILIES = "SELECT session_id, family_id, MIN(created_at) AS created_at,"
      + " MAX(used_at) AS last_used_at, MAX(expires_at) AS expires_at FROM refresh_tokens WHERE user_id = ?"
      + " GROUP BY session_id, family_id"
      + " HAVING SUM(CASE WHEN used_at IS NULL AND revoked_at IS NULL AND expires_at > ? THEN 1 ELSE 0 END) > 0"
      + " ORDER BY MIN(created_at) DESC, family_id";
  private static final String DEAD_SESSION = "expires_at <= ? OR revoked_at IS NOT NULL";
  private static final String PURGE_REFRESH = "DELETE FROM refresh_tokens WHERE expires_at <= ?"
      + " OR session_id IN (SELECT id FROM web_sessions WHERE " + DEAD_SESSION + ")";
  private static final String PURGE_SESSIONS = "DELETE FROM web_sessions WHERE " + DEAD_SESSION;

  // ---- refresh tokens
  private static final String INSERT_REFRESH = "INSERT INTO refresh_tokens"
      + " (id, family_id, session_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String REFRESH = "SELECT " + REFRESH_COLUMNS + " FROM refresh_tokens WHERE id = ?";
  private static final String USE_REFRESH = "UPDATE refresh_tokens SET used_at = ?"
      + " WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL";
  private static final String REVOKE_FAMILY = "UPDATE refresh_tokens SET revoked_at = ?"
      + " WHERE family_id = ? AND revoked_at IS NULL";
  private static final String REVOKE_REFRESH_OF_SESSION = "UPDATE refresh_tokens SET revoked_at = ?"
      + " WHERE session_id = ? AND revoked_at IS NULL";
  private static final String REVOKE_REFRESH_OF_USER_BUT = "UPDATE refresh_tokens SET revoked_at = ?"
      + " WHERE user_id = ? AND revoked_at IS NULL AND session_id <> ?";

  // ---- personal access tokens
  private static final String INSERT_TOKEN = "INSERT INTO personal_tokens"
      + " (id, token_hash, user_id, name, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String INSERT_EXPIRING_TOKEN = "INSERT INTO personal_tokens"
      + " (id, token_hash, user_id, name, prefix, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String TOKENS = "SELECT " + TOKEN_COLUMNS + " FROM personal_tokens t"
      + " WHERE t.user_id = ? AND t.revoked_at IS NULL ORDER BY t.id DESC";
  private static final String TOKEN_BY_HASH = "SELECT " + TOKEN_COLUMNS + ", " + ACCOUNT_COLUMNS
      + " FROM personal_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?";
  private static final String TOUCH_TOKEN = "UPDATE personal_tokens SET last_used_at = ?"
      + " WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)";
  private static final String REVOKE_TOKEN = "UPDATE personal_tokens SET revoked_at = ?"
      + " WHERE id = ? AND user_id = ? AND revoked_at IS NULL";
  private static final String LIVE_TOKENS_BUT = "SELECT id FROM personal_tokens"
      + " WHERE user_id = ? AND revoked_at IS NULL AND id <> ? ORDER BY id";
  private static final String REVOKE_TOKENS_BUT = "UPDATE personal_tokens SET revoked_at = ?"
      + " WHERE user_id = ? AND revoked_at IS NULL AND id <> ?";

  /** Matches no session id (those are 64 hex digits) and no token id (those are positive). */
  private static final String NO_SESSION = "";
  private static final long NO_TOKEN = -1;

  private final Jdbc jdbc;
  private final IdGenerator ids;

  /** @param ids the node's id generator, the same one as the chat store's: both make users */
  public JdbcAccountStore(Database database, IdGenerator ids) {
    this.jdbc = database.jdbc();
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  // ---- accounts --------------------------------------------------------------------------------

  @Override
  public Account createAccount(String name, String passwordHash, Optional<String> displayName, Optional<String> email,
      Instant createdAt) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
    long id = ids.next();
    int inserted = jdbc.write("register the account '" + name + "'", c -> update(c, INSERT_ACCOUNT,
        id, name, Rows.lower(name), ms(createdAt), passwordHash, displayName, email, email.map(Rows::lower)));
    if (inserted == 0) {
      throw new StoreException.Conflict("the name '" + name + "' is taken");
    }
    return new Account(id, name, displayName, email, false, Role.USER, createdAt, Optional.empty());
  }

  @Override
  public Optional<Account> accountByName(String name) {
    return jdbc.read("find the account '" + name + "'",
        c -> first(c, ACCOUNT_BY_NAME, JdbcAccountStore::account, Rows.lower(name)));
  }

  @Override
  public Optional<Account> account(long userId) {
    return jdbc.read("find the account " + userId, c -> first(c, ACCOUNT_BY_ID, JdbcAccountStore::account, userId));
  }

  @Override
  public Optional<String> passwordHash(long userId) {
    return jdbc.read("read the password hash of user " + userId,
        c -> first(c, PASSWORD_HASH, row -> Optional.ofNullable(row.getString(1)), userId)).flatMap(h -> h);
  }

  @Override
  public Revoked changePassword(long userId, String passwordHash, Optional<String> keepSession,
      Optional<Long> keepToken, Instant at) {
    Objects.requireNonNull(passwordHash, "passwordHash");
    return jdbc.write("change the password of user " + userId, c -> {
      if (update(c, SET_PASSWORD_HASH, passwordHash, userId) == 0) {
        throw new StoreException("could not change the password of user " + userId + ": there is no such account");
      }
      return revokeAllBut(c, userId, keepSession.orElse(NO_SESSION), keepToken.orElse(NO_TOKEN), at);
    });
  }

  @Override
  public java.util.Set<Long> setAdmins(java.util.Set<String> lowerNames) {
    return jdbc.write("set the server admins", c -> {
      update(c, "UPDATE users SET role = 'user' WHERE kind = 'account' AND role = 'admin'");
      java.util.Set<Long> ids = new java.util.HashSet<>();
      for (String name : lowerNames) {
        update(c, "UPDATE users SET role = 'admin' WHERE kind = 'account' AND name_lower = ?", name);
      }
      ids.addAll(list(c, "SELECT id FROM users WHERE kind = 'account' AND role = 'admin'", row -> row.getLong(1)));
      return ids;
    });
  }

  @Override
  public boolean deactivate(long userId, Instant at) {
    return jdbc.write("deactivate user " + userId, c -> {
      if (update(c, DEACTIVATE, ms(at), userId) == 0) {
        return false;
      }
      revokeAllBut(c, userId, NO_SESSION, NO_TOKEN, at);
      return true;
    });
  }

  /** Revokes a user's sessions, refresh tokens and personal tokens but the ones to keep. */
  private static Revoked revokeAllBut(Connection c, long userId, String keepSession, long keepToken, Instant at)
      throws SQLException {
    List<String> sessions = list(c, LIVE_SESSIONS_BUT, row -> row.getString(1), userId, keepSession);
    List<Long> tokens = list(c, LIVE_TOKENS_BUT, row -> row.getLong(1), userId, keepToken);
    update(c, REVOKE_SESSIONS_BUT, ms(at), userId, keepSession);
    update(c, REVOKE_REFRESH_OF_USER_BUT, ms(at), userId, keepSession);
    update(c, REVOKE_TOKENS_BUT, ms(at), userId, keepToken);
    return new Revoked(sessions, tokens);
  }

  // ---- web sessions ----------------------------------------------------------------------------

  @Override
  public void createSession(WebSession s) {
    jdbc.write("open a session for user " + s.userId(), c -> update(c, INSERT_SESSION, s.id(), s.userId(),
        ms(s.createdAt()), ms(s.expiresAt()), ms(s.lastSeenAt()), s.userAgent()));
  }

  @Override
  public Optional<SessionAndAccount> session(String sessionId) {
    return jdbc.read("find a session", c -> first(c, SESSION,
        row -> new SessionAndAccount(session(row), account(row)), sessionId));
  }

  @Override
  public void touchSession(String sessionId, Instant at) {
    jdbc.write("record the use of a session", c -> update(c, TOUCH_SESSION, ms(at), sessionId, ms(at)));
  }

  @Override
  public boolean revokeSession(String sessionId, Instant at) {
    return jdbc.write("revoke a session", c -> {
      update(c, REVOKE_REFRESH_OF_SESSION, ms(at), sessionId);
      return update(c, REVOKE_SESSION, ms(at), sessionId) == 1;
    });
  }

  @Override
  public List<LiveSession> liveSessions(long userId, Instant now) {
    return jdbc.read("list the sessions of user " + userId, c -> {
      List<WebSession> sessions = list(c, LIVE_SESSIONS, JdbcAccountStore::session, userId, ms(now));
      Map<String, List<RefreshFamily>> families = new HashMap<>();
      for (Map.Entry<String, RefreshFamily> f : list(c, LIVE_FAMILIES, row -> Map.entry(row.getString("session_id"),
          new RefreshFamily(row.getLong("family_id"), instant(row, "created_at").orElseThrow(),
              instant(row, "last_used_at"), instant(row, "expires_at").orElseThrow())), userId, ms(now))) {
        families.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f.getValue());
      }
      return sessions.stream().map(s -> new LiveSession(s, List.copyOf(families.getOrDefault(s.id(), List.of()))))
          .toList();
    });
  }

  @Override
  public Purged purgeExpired(Instant now) {
    return jdbc.write("delete expired sessions and refresh tokens", c -> {
      int refresh = update(c, PURGE_REFRESH, ms(now), ms(now));
      int sessions = update(c, PURGE_SESSIONS, ms(now));
      return new Purged(sessions, refresh);
    });
  }

  // ---- refresh tokens --------------------------------------------------------------------------

  @Override
  public void createRefreshToken(RefreshToken t) {
    jdbc.write("store a refresh token of user " + t.userId(), c -> update(c, INSERT_REFRESH, t.id(), t.familyId(),
        t.sessionId(), t.userId(), ms(t.createdAt()), ms(t.expiresAt())));
  }

  @Override
  public Optional<RefreshToken> refreshToken(String tokenId) {
    return jdbc.read("find a refresh token", c -> first(c, REFRESH, JdbcAccountStore::refresh, tokenId));
  }

  @Override
  public boolean rotateRefreshToken(String usedId, RefreshToken next, Instant at) {
    return jdbc.write("rotate a refresh token of user " + next.userId(), c -> {
      if (update(c, USE_REFRESH, ms(at), usedId) == 0) {
        return false;
      }
      update(c, INSERT_REFRESH, next.id(), next.familyId(), next.sessionId(), next.userId(), ms(next.createdAt()),
          ms(next.expiresAt()));
      return true;
    });
  }

  @Override
  public int revokeRefreshFamily(long familyId, Instant at) {
    return jdbc.write("revoke refresh token family " + familyId, c -> update(c, REVOKE_FAMILY, ms(at), familyId));
  }

  // ---- personal access tokens ------------------------------------------------------------------

  @Override
  public PersonalToken createPersonalToken(long userId, String name, String prefix, String tokenHash,
      Instant createdAt, Optional<Instant> expiresAt) {
    long id = ids.next();
    jdbc.write("make a token for user " + userId, c -> expiresAt.isPresent()
        ? update(c, INSERT_EXPIRING_TOKEN, id, tokenHash, userId, name, prefix, ms(createdAt), ms(expiresAt.get()))
        : update(c, INSERT_TOKEN, id, tokenHash, userId, name, prefix, ms(createdAt)));
    return new PersonalToken(id, userId, name, prefix, createdAt, expiresAt, Optional.empty(), Optional.empty());
  }

  @Override
  public List<PersonalToken> personalTokens(long userId) {
    return jdbc.read("list the tokens of user " + userId, c -> list(c, TOKENS, JdbcAccountStore::token, userId));
  }

  @Override
  public Optional<TokenAndAccount> personalTokenByHash(String tokenHash) {
    return jdbc.read("find a token", c -> first(c, TOKEN_BY_HASH,
        row -> new TokenAndAccount(token(row), account(row)), tokenHash));
  }

  @Override
  public void touchPersonalToken(long tokenId, Instant at) {
    jdbc.write("record the use of token " + tokenId, c -> update(c, TOUCH_TOKEN, ms(at), tokenId, ms(at)));
  }

  @Override
  public boolean revokePersonalToken(long userId, long tokenId, Instant at) {
    return jdbc.write("revoke token " + tokenId, c -> update(c, REVOKE_TOKEN, ms(at), tokenId, userId) == 1);
  }

  // ---- rows ------------------------------------------------------------------------------------

  static Account account(ResultSet row) throws SQLException {
    return new Account(row.getLong("user_id"), row.getString("user_name"),
        Optional.ofNullable(row.getString("display_name")), Optional.ofNullable(row.getString("email")),
        row.getBoolean("email_verified"), Rows.parse(Role.class, row.getString("role")),
        instant(row, "user_created_at").orElseThrow(), instant(row, "deactivated_at"));
  }

  private static WebSession session(ResultSet row) throws SQLException {
    return new WebSession(row.getString("session_id"), row.getLong("session_user_id"),
        instant(row, "session_created_at").orElseThrow(), instant(row, "session_expires_at").orElseThrow(),
        instant(row, "last_seen_at").orElseThrow(), instant(row, "session_revoked_at"), row.getString("user_agent"));
  }

  private static RefreshToken refresh(ResultSet row) throws SQLException {
    return new RefreshToken(row.getString("id"), row.getLong("family_id"), row.getString("session_id"),
        row.getLong("user_id"), instant(row, "created_at").orElseThrow(), instant(row, "expires_at").orElseThrow(),
        instant(row, "used_at"), instant(row, "revoked_at"));
  }

  private static PersonalToken token(ResultSet row) throws SQLException {
    return new PersonalToken(row.getLong("token_id"), row.getLong("token_user_id"), row.getString("token_name"),
        row.getString("prefix"), instant(row, "token_created_at").orElseThrow(), instant(row, "token_expires_at"),
        instant(row, "last_used_at"), instant(row, "token_revoked_at"));
  }

  private static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  private static long ms(Instant instant) {
    return instant.toEpochMilli();
  }
}
