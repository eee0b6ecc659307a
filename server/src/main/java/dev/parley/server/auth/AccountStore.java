package dev.parley.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where accounts, web sessions and tokens are kept. Methods block (they do database work) and
 * are called on a store or hashing executor, never on an event loop. They throw
 * {@code StoreException} when the store cannot answer. Tokens are only ever passed as their
 * SHA-256 hashes.
 */
public interface AccountStore {
  /** A web session and the account it belongs to, read together. */
  record SessionAndAccount(WebSession session, Account account) {}

  /** A personal access token and the account it belongs to, read together. */
  record TokenAndAccount(PersonalToken token, Account account) {}

  /** What a password change or a deactivation revoked. */
  record Revoked(List<String> sessionIds, List<Long> personalTokenIds) {}

  /**
   * The refresh tokens rotated from one issue, as one credential.
   *
   * @param familyId the family
   * @param createdAt when its first token was issued
   * @param lastUsedAt when one of its tokens was last exchanged; empty if never
   * @param expiresAt when its current token expires
   */
  record RefreshFamily(long familyId, Instant createdAt, Optional<Instant> lastUsedAt, Instant expiresAt) {}

  /** A web session that can still sign in, with its refresh-token families that can still refresh. */
  record LiveSession(WebSession session, List<RefreshFamily> refreshFamilies) {}

  /** What {@link #purgeExpired} deleted. */
  record Purged(int sessions, int refreshTokens) {}

  // ---- accounts --------------------------------------------------------------------------------

  /**
   * Creates an account (a user of kind {@code account}, role user); fails with
   * {@code StoreException.Conflict} if any user, of any kind, has the name (case-insensitively).
   */
  Account createAccount(String name, String passwordHash, Optional<String> displayName, Optional<String> email,
      Instant createdAt);

  /** The account named {@code name}, compared case-insensitively; empty for other kinds of user. */
  Optional<Account> accountByName(String name);

  Optional<Account> account(long userId);

  /** The stored password hash of an account. */
  Optional<String> passwordHash(long userId);

  /**
   * Stores a new password hash and, in the same transaction, revokes every web session (and its
   * refresh tokens) except {@code keepSession} and every personal access token except
   * {@code keepToken}. Returns what it revoked.
   */
  Revoked changePassword(long userId, String passwordHash, Optional<String> keepSession, Optional<Long> keepToken,
      Instant at);

  /**
   * Marks the account deactivated and revokes all its sessions, refresh tokens and personal
   * access tokens, in one transaction. Returns false if it was not an active account.
   */
  boolean deactivate(long userId, Instant at);

  /**
   * Makes the accounts named in {@code lowerNames} (lower case) the server admins: their role
   * becomes admin, every other account's user. Returns the ids of the admins now.
   */
  java.util.Set<Long> setAdmins(java.util.Set<String> lowerNames);

  // ---- web sessions ----------------------------------------------------------------------------

  void createSession(WebSession session);

  /** The session with this id and its account, whatever their state. */
  Optional<SessionAndAccount> session(String sessionId);

  /** Records a use of the session. */
  void touchSession(String sessionId, Instant at);

  /** Revokes a session and its refresh tokens; returns false if it was revoked already or unknown. */
  boolean revokeSession(String sessionId, Instant at);

  /**
   * The user's sessions that are neither revoked nor expired at {@code now}, newest first, each
   * with its refresh-token families that hold a token neither used, revoked nor expired.
   */
  List<LiveSession> liveSessions(long userId, Instant now);

  /**
   * Deletes what can never sign anyone in again: sessions expired or revoked by {@code now}, and
   * refresh tokens expired by then or of such a session.
   */
  Purged purgeExpired(Instant now);

  // ---- refresh tokens --------------------------------------------------------------------------

  void createRefreshToken(RefreshToken token);

  Optional<RefreshToken> refreshToken(String tokenId);

  /**
   * Marks {@code usedId} used and stores {@code next} in its place, in one transaction, if and
   * only if {@code usedId} is neither used nor revoked yet. Returns false, storing nothing, if
   * it was: of two concurrent exchanges of one token, exactly one succeeds.
   */
  boolean rotateRefreshToken(String usedId, RefreshToken next, Instant at);

  /** Revokes every token of a family; returns how many were still unrevoked. */
  int revokeRefreshFamily(long familyId, Instant at);

  // ---- personal access tokens ------------------------------------------------------------------

  /** Stores a new token under the hash of its secret. */
  PersonalToken createPersonalToken(long userId, String name, String prefix, String tokenHash, Instant createdAt,
      Optional<Instant> expiresAt);

  /** The user's tokens that are not revoked, newest first. */
  List<PersonalToken> personalTokens(long userId);

  /** The token whose secret hashes to {@code tokenHash}, and its account, whatever their state. */
  Optional<TokenAndAccount> personalTokenByHash(String tokenHash);

  /** Records a use of the token. */
  void touchPersonalToken(long tokenId, Instant at);

  /** Revokes one of the user's tokens; returns false if the user has no such unrevoked token. */
  boolean revokePersonalToken(long userId, long tokenId, Instant at);
}
