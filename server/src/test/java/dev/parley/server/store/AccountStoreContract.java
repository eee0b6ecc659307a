package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link JdbcAccountStore} must do, whatever engine is under it. A subclass per engine
 * gives each test a fresh, empty, migrated database.
 */
@Timeout(value = 60, unit = SECONDS)
abstract class AccountStoreContract {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  protected Database database;
  protected JdbcAccountStore store;
  protected JdbcChatStore chat;
  private int nextHash;

  /** A new, empty database for one test. */
  protected abstract Database openDatabase();

  /** Removes what {@link #openDatabase()} made; the database is closed already. */
  protected void dropDatabase() {}

  @BeforeEach
  void openStore() {
    database = openDatabase();
    IdGenerator ids = new IdGenerator(1);
    store = new JdbcAccountStore(database, ids);
    chat = new JdbcChatStore(database, ids);
  }

  @AfterEach
  void closeStore() {
    try {
      if (database != null) {
        database.close();
      }
    } finally {
      dropDatabase();
    }
  }

  // ---- accounts --------------------------------------------------------------------------------

  @Test
  void anAccountIsAUserOfKindAccountFoundByNameInAnyCase() {
    Account ada = store.createAccount("Ada", "hash-1", Optional.of("Ada Lovelace"), Optional.of("ada@example.org"), T0);

    assertThat(ada).isEqualTo(new Account(ada.id(), "Ada", Optional.of("Ada Lovelace"), Optional.of("ada@example.org"),
        false, Role.USER, T0, Optional.empty()));
    assertThat(store.account(ada.id())).contains(ada);
    assertThat(store.accountByName("aDA")).contains(ada);
    assertThat(store.passwordHash(ada.id())).contains("hash-1");
    assertThat(chat.user(ada.id())).contains(new User(ada.id(), "Ada", User.Kind.ACCOUNT));
  }

  @Test
  void anAccountWithoutOptionalFieldsHasNone() {
    Account bob = store.createAccount("bob", "hash", Optional.empty(), Optional.empty(), T0);

    assertThat(store.account(bob.id()).orElseThrow().displayName()).isEmpty();
    assertThat(store.account(bob.id()).orElseThrow().email()).isEmpty();
  }

  @Test
  void namesAreSharedWithGuestsInAnyCase() {
    chat.createUser("Bob", User.Kind.GUEST, Optional.of("key"));
    store.createAccount("Ada", "hash", Optional.empty(), Optional.empty(), T0);

    assertThatThrownBy(() -> store.createAccount("BOB", "hash", Optional.empty(), Optional.empty(), T0))
        .isInstanceOf(StoreException.Conflict.class);
    assertThatThrownBy(() -> store.createAccount("ada", "hash", Optional.empty(), Optional.empty(), T0))
        .isInstanceOf(StoreException.Conflict.class);
    assertThatThrownBy(() -> chat.createUser("ADA", User.Kind.GUEST, Optional.empty()))
        .isInstanceOf(StoreException.Conflict.class);
    assertThat(store.accountByName("bob")).as("a guest is no account").isEmpty();
  }

  @Test
  void unknownAccountsAreEmpty() {
    User guest = chat.createUser("guest", User.Kind.GUEST, Optional.empty());

    assertThat(store.account(42)).isEmpty();
    assertThat(store.account(guest.id())).isEmpty();
    assertThat(store.passwordHash(guest.id())).isEmpty();
    assertThat(store.accountByName("nobody")).isEmpty();
  }

  @Test
  void deactivationRevokesEverythingOnce() {
    Account ada = account("ada");
    WebSession session = session(ada, T0);
    RefreshToken refresh = refresh(session, 7, T0);
    PersonalToken token = token(ada, "bot");
    Instant at = T0.plusSeconds(60);

    assertThat(store.deactivate(ada.id(), at)).isTrue();
    assertThat(store.deactivate(ada.id(), at.plusSeconds(1))).isFalse();

    assertThat(store.account(ada.id()).orElseThrow().deactivatedAt()).contains(at);
    assertThat(store.session(session.id()).orElseThrow().session().revokedAt()).contains(at);
    assertThat(store.refreshToken(refresh.id()).orElseThrow().revokedAt()).contains(at);
    assertThat(store.personalTokens(ada.id())).isEmpty();
    assertThat(store.personalTokenByHash(hashOf(token)).orElseThrow().token().revokedAt()).contains(at);
    assertThat(store.deactivate(chat.createUser("guest", User.Kind.GUEST, Optional.empty()).id(), at)).isFalse();
  }

  @Test
  void aPasswordChangeRevokesEveryOtherSessionAndToken() {
    Account ada = account("ada");
    Account bob = account("bob");
    WebSession kept = session(ada, T0);
    WebSession other = session(ada, T0);
    WebSession bobs = session(bob, T0);
    RefreshToken keptRefresh = refresh(kept, 1, T0);
    RefreshToken otherRefresh = refresh(other, 2, T0);
    PersonalToken bot = token(ada, "bot");
    PersonalToken bobsBot = token(bob, "bot");
    Instant at = T0.plusSeconds(5);

    AccountStore.Revoked revoked = store.changePassword(ada.id(), "new-hash", Optional.of(kept.id()), Optional.empty(), at);

    assertThat(revoked.sessionIds()).containsExactly(other.id());
    assertThat(revoked.personalTokenIds()).containsExactly(bot.id());
    assertThat(store.passwordHash(ada.id())).contains("new-hash");
    assertThat(store.session(kept.id()).orElseThrow().session().revokedAt()).isEmpty();
    assertThat(store.refreshToken(keptRefresh.id()).orElseThrow().revokedAt()).isEmpty();
    assertThat(store.session(other.id()).orElseThrow().session().revokedAt()).contains(at);
    assertThat(store.refreshToken(otherRefresh.id()).orElseThrow().revokedAt()).contains(at);
    assertThat(store.personalTokens(ada.id())).isEmpty();
    assertThat(store.session(bobs.id()).orElseThrow().session().revokedAt()).as("another user's").isEmpty();
    assertThat(store.personalTokens(bob.id())).containsExactly(bobsBot);
  }

  // ---- web sessions ----------------------------------------------------------------------------

  @Test
  void aSessionIsReadWithItsAccount() {
    Account ada = account("ada");
    WebSession session = session(ada, T0);

    AccountStore.SessionAndAccount found = store.session(session.id()).orElseThrow();

    assertThat(found.session()).isEqualTo(session);
    assertThat(found.account()).isEqualTo(ada);
    assertThat(store.session(hash())).isEmpty();
  }

  @Test
  void touchingASessionOnlyMovesItsLastSeenTimeForward() {
    WebSession session = session(account("ada"), T0);

    store.touchSession(session.id(), T0.plusSeconds(600));
    store.touchSession(session.id(), T0.plusSeconds(300));

    assertThat(store.session(session.id()).orElseThrow().session().lastSeenAt()).isEqualTo(T0.plusSeconds(600));
  }

  @Test
  void revokingASessionRevokesItsRefreshTokensOnce() {
    Account ada = account("ada");
    WebSession session = session(ada, T0);
    WebSession other = session(ada, T0);
    RefreshToken refresh = refresh(session, 1, T0);
    RefreshToken otherRefresh = refresh(other, 2, T0);
    Instant at = T0.plusSeconds(1);

    assertThat(store.revokeSession(session.id(), at)).isTrue();
    assertThat(store.revokeSession(session.id(), at.plusSeconds(1))).isFalse();
    assertThat(store.revokeSession(hash(), at)).isFalse();

    assertThat(store.session(session.id()).orElseThrow().session().revokedAt()).contains(at);
    assertThat(store.refreshToken(refresh.id()).orElseThrow().revokedAt()).contains(at);
    assertThat(store.refreshToken(otherRefresh.id()).orElseThrow().revokedAt()).isEmpty();
  }

  @Test
  void liveSessionsAreTheUsersUnrevokedUnexpiredOnesNewestFirstWithTheirLiveRefreshFamilies() {
    Account ada = account("ada");
    WebSession older = session(ada, T0);
    WebSession newer = session(ada, T0.plusSeconds(10));
    WebSession revoked = session(ada, T0.plusSeconds(20));
    store.revokeSession(revoked.id(), T0.plusSeconds(30));
    WebSession expired = new WebSession(hash(), ada.id(), T0, T0.plusSeconds(40), T0, Optional.empty(), "old");
    store.createSession(expired);
    session(account("bob"), T0);
    RefreshToken first = refresh(newer, 1, T0.plusSeconds(11));
    RefreshToken rotated = successor(first, T0.plusSeconds(12));
    store.rotateRefreshToken(first.id(), rotated, T0.plusSeconds(12));
    RefreshToken dead = refresh(newer, 2, T0.plusSeconds(13));
    store.revokeRefreshFamily(2, T0.plusSeconds(14));

    List<AccountStore.LiveSession> live = store.liveSessions(ada.id(), T0.plusSeconds(60));

    assertThat(live).extracting(l -> l.session().id()).containsExactly(newer.id(), older.id());
    assertThat(live.get(0).refreshFamilies()).containsExactly(new AccountStore.RefreshFamily(1,
        T0.plusSeconds(11), Optional.of(T0.plusSeconds(12)), newer.expiresAt()));
    assertThat(live.get(1).refreshFamilies()).isEmpty();
    assertThat(dead.familyId()).isEqualTo(2);
  }

  @Test
  void purgingDeletesExpiredAndRevokedSessionsWithTheirRefreshTokensAndNothingElse() {
    Account ada = account("ada");
    Instant now = T0.plus(Duration.ofDays(31));
    WebSession expired = session(ada, T0);
    RefreshToken expiredRefresh = refresh(expired, 1, T0);
    WebSession revoked = session(ada, now.minusSeconds(60));
    RefreshToken revokedRefresh = refresh(revoked, 2, now.minusSeconds(60));
    store.revokeSession(revoked.id(), now.minusSeconds(30));
    WebSession live = session(ada, now.minusSeconds(10));
    RefreshToken liveRefresh = refresh(live, 3, now.minusSeconds(10));
    RefreshToken lapsed = new RefreshToken(hash(), 4, live.id(), ada.id(), now.minusSeconds(10), now,
        Optional.empty(), Optional.empty());
    store.createRefreshToken(lapsed);

    AccountStore.Purged purged = store.purgeExpired(now);

    assertThat(purged).isEqualTo(new AccountStore.Purged(2, 3));
    assertThat(store.session(expired.id())).isEmpty();
    assertThat(store.session(revoked.id())).isEmpty();
    assertThat(store.refreshToken(expiredRefresh.id())).isEmpty();
    assertThat(store.refreshToken(revokedRefresh.id())).isEmpty();
    assertThat(store.refreshToken(lapsed.id())).as("expired at now").isEmpty();
    assertThat(store.session(live.id())).isPresent();
    assertThat(store.refreshToken(liveRefresh.id())).isPresent();
    assertThat(store.purgeExpired(now)).isEqualTo(new AccountStore.Purged(0, 0));
  }

  // ---- refresh tokens --------------------------------------------------------------------------

  @Test
  void aRefreshTokenRotatesOnce() {
    WebSession session = session(account("ada"), T0);
    RefreshToken first = refresh(session, 9, T0);
    RefreshToken second = successor(first, T0.plusSeconds(1));
    RefreshToken third = successor(first, T0.plusSeconds(2));

    assertThat(store.rotateRefreshToken(first.id(), second, T0.plusSeconds(1))).isTrue();
    assertThat(store.rotateRefreshToken(first.id(), third, T0.plusSeconds(2))).isFalse();

    assertThat(store.refreshToken(first.id()).orElseThrow().usedAt()).contains(T0.plusSeconds(1));
    assertThat(store.refreshToken(second.id())).contains(second);
    assertThat(store.refreshToken(third.id())).as("nothing stored for a refused rotation").isEmpty();
  }

  @Test
  void ofConcurrentRotationsOfOneTokenExactlyOneWins() throws Exception {
    WebSession session = session(account("ada"), T0);
    RefreshToken first = refresh(session, 9, T0);
    int threads = 6;
    List<RefreshToken> successors = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      successors.add(successor(first, T0.plusSeconds(1)));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (RefreshToken next : successors) {
        results.add(executor.submit(() -> {
          start.await();
          return store.rotateRefreshToken(first.id(), next, T0.plusSeconds(1));
        }));
      }
      start.countDown();
      int won = 0;
      for (Future<Boolean> result : results) {
        won += result.get(30, SECONDS) ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
      assertThat(successors.stream().filter(s -> store.refreshToken(s.id()).isPresent())).hasSize(1);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void revokingAFamilyRevokesEachOfItsTokensAndNoOther() {
    WebSession session = session(account("ada"), T0);
    RefreshToken first = refresh(session, 1, T0);
    RefreshToken second = successor(first, T0);
    store.rotateRefreshToken(first.id(), second, T0);
    RefreshToken stranger = refresh(session, 2, T0);

    assertThat(store.revokeRefreshFamily(1, T0.plusSeconds(3))).isEqualTo(2);

    assertThat(store.refreshToken(first.id()).orElseThrow().revokedAt()).contains(T0.plusSeconds(3));
    assertThat(store.refreshToken(second.id()).orElseThrow().revokedAt()).contains(T0.plusSeconds(3));
    assertThat(store.refreshToken(stranger.id()).orElseThrow().revokedAt()).isEmpty();
    assertThat(store.rotateRefreshToken(second.id(), successor(second, T0), T0.plusSeconds(4))).isFalse();
  }

  // ---- personal access tokens ------------------------------------------------------------------

  @Test
  void personalTokensAreListedNewestFirstUntilRevoked() {
    Account ada = account("ada");
    Account bob = account("bob");
    PersonalToken first = token(ada, "first");
    PersonalToken second = store.createPersonalToken(ada.id(), "second", "parley_pat_abcd", hash(), T0,
        Optional.of(T0.plus(Duration.ofDays(30))));
    token(bob, "bob's");

    assertThat(store.personalTokens(ada.id())).containsExactly(second, first);
    assertThat(second.expiresAt()).contains(T0.plus(Duration.ofDays(30)));

    assertThat(store.revokePersonalToken(bob.id(), first.id(), T0)).as("not bob's to revoke").isFalse();
    assertThat(store.revokePersonalToken(ada.id(), first.id(), T0)).isTrue();
    assertThat(store.revokePersonalToken(ada.id(), first.id(), T0)).isFalse();
    assertThat(store.personalTokens(ada.id())).containsExactly(second);
  }

  @Test
  void aPersonalTokenIsFoundByItsHashWithItsAccount() {
    Account ada = account("ada");
    PersonalToken token = token(ada, "bot");

    AccountStore.TokenAndAccount found = store.personalTokenByHash(hashOf(token)).orElseThrow();

    assertThat(found.token()).isEqualTo(token);
    assertThat(found.account()).isEqualTo(ada);
    assertThat(store.personalTokenByHash(hash())).isEmpty();
  }

  @Test
  void touchingAPersonalTokenOnlyMovesItsLastUseForward() {
    PersonalToken token = token(account("ada"), "bot");

    store.touchPersonalToken(token.id(), T0.plusSeconds(600));
    store.touchPersonalToken(token.id(), T0.plusSeconds(300));

    assertThat(store.personalTokenByHash(hashOf(token)).orElseThrow().token().lastUsedAt())
        .contains(T0.plusSeconds(600));
  }

  // ---- schema ----------------------------------------------------------------------------------

  @Test
  void theSchemaHasTheAccountTablesAndIndexes() throws SQLException {
    try (Connection c = database.dataSource().getConnection()) {
      List<String> tables = new ArrayList<>();
      List<String> indexes = new ArrayList<>();
      try (ResultSet rows = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (rows.next()) {
          tables.add(rows.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
        }
      }
      for (String table : List.of("web_sessions", "refresh_tokens", "personal_tokens")) {
        try (ResultSet rows = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
          while (rows.next()) {
            indexes.add(String.valueOf(rows.getString("INDEX_NAME")).toLowerCase(java.util.Locale.ROOT));
          }
        }
      }
      assertThat(tables).contains("users", "web_sessions", "refresh_tokens", "personal_tokens");
      assertThat(indexes).contains("web_sessions_user", "refresh_tokens_family", "refresh_tokens_session",
          "personal_tokens_hash", "personal_tokens_user");
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  @Test
  void theAdminsAreExactlyTheAccountsNamedLastTime() {
    Account ada = account("Ada");
    Account bob = account("bob");
    account("cy");

    assertThat(store.setAdmins(java.util.Set.of("ada", "bob", "nobody"))).containsExactlyInAnyOrder(ada.id(), bob.id());
    assertThat(store.account(ada.id()).orElseThrow().role()).isEqualTo(dev.parley.server.auth.Role.ADMIN);

    assertThat(store.setAdmins(java.util.Set.of("bob"))).containsExactly(bob.id());
    assertThat(store.account(ada.id()).orElseThrow().role()).as("no longer named").isEqualTo(dev.parley.server.auth.Role.USER);
    assertThat(store.setAdmins(java.util.Set.of())).isEmpty();
  }

  private Account account(String name) {
    return store.createAccount(name, "hash-of-" + name, Optional.empty(), Optional.empty(), T0);
  }

  private WebSession session(Account account, Instant at) {
    WebSession session = new WebSession(hash(), account.id(), at, at.plus(Duration.ofDays(30)), at, Optional.empty(),
        "test agent");
    store.createSession(session);
    return session;
  }

  private RefreshToken refresh(WebSession session, long family, Instant at) {
    RefreshToken token = new RefreshToken(hash(), family, session.id(), session.userId(), at, session.expiresAt(),
        Optional.empty(), Optional.empty());
    store.createRefreshToken(token);
    return token;
  }

  private RefreshToken successor(RefreshToken token, Instant at) {
    return new RefreshToken(hash(), token.familyId(), token.sessionId(), token.userId(), at, token.expiresAt(),
        Optional.empty(), Optional.empty());
  }

  /** Tokens made here are stored under the stand-in hash "pat-<owner id>-<name>". */
  private PersonalToken token(Account owner, String name) {
    return store.createPersonalToken(owner.id(), name, "parley_pat_" + name, "pat-" + owner.id() + "-" + name, T0,
        Optional.empty());
  }

  private static String hashOf(PersonalToken token) {
    return "pat-" + token.userId() + "-" + token.name();
  }

  /** A fresh 64-hex-digit stand-in for a token hash. */
  private String hash() {
    return String.format("%064x", ++nextHash);
  }
}
