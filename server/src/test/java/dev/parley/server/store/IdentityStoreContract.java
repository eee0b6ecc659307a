package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.auth.Account;
import dev.parley.server.chat.StoreException;
import dev.parley.server.chat.User;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link JdbcIdentityStore} must do, whatever engine is under it. */
@Timeout(value = 60, unit = SECONDS)
abstract class IdentityStoreContract {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String ISSUER = "https://id.example/realm";

  protected Database database;
  protected JdbcIdentityStore identities;
  protected JdbcAccountStore accounts;
  protected JdbcChatStore chat;

  protected abstract Database openDatabase();

  protected void dropDatabase() {}

  @BeforeEach
  void openStore() {
    database = openDatabase();
    IdGenerator ids = new IdGenerator(1);
    identities = new JdbcIdentityStore(database, ids);
    accounts = new JdbcAccountStore(database, ids);
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

  @Test
  void aLinkedAccountIsFoundByItsIdentityAndHasNoPassword() {
    Account made = identities.createLinkedAccount(ISSUER, "sub-1", "ada", Optional.of("Ada L"),
        Optional.of("ada@example.org"), T0).orElseThrow();

    assertThat(identities.accountByIdentity(ISSUER, "sub-1")).contains(made);
    assertThat(accounts.account(made.id())).contains(made);
    assertThat(accounts.accountByName("ADA")).contains(made);
    assertThat(accounts.passwordHash(made.id())).isEmpty();
    assertThat(identities.accountByIdentity(ISSUER, "sub-2")).isEmpty();
    assertThat(identities.accountByIdentity("https://other.example", "sub-1")).isEmpty();
  }

  @Test
  void aTakenNameInAnyCaseOrKindMakesNothing() {
    accounts.createAccount("Ada", "hash", Optional.empty(), Optional.empty(), T0);
    chat.createUser("Guest Bob", User.Kind.GUEST, Optional.empty());

    assertThat(identities.createLinkedAccount(ISSUER, "sub-1", "ADA", Optional.empty(), Optional.empty(), T0)).isEmpty();
    assertThat(identities.createLinkedAccount(ISSUER, "sub-1", "guest bob", Optional.empty(), Optional.empty(), T0))
        .isEmpty();
    assertThat(identities.accountByIdentity(ISSUER, "sub-1")).as("no link made either").isEmpty();
    assertThat(identities.createLinkedAccount(ISSUER, "sub-1", "ada2", Optional.empty(), Optional.empty(), T0))
        .isPresent();
  }

  @Test
  void anIdentityLinksToOneAccountOnly() {
    Account first = identities.createLinkedAccount(ISSUER, "sub-1", "ada", Optional.empty(), Optional.empty(), T0)
        .orElseThrow();

    assertThatThrownBy(() -> identities.createLinkedAccount(ISSUER, "sub-1", "other", Optional.empty(),
        Optional.empty(), T0)).isInstanceOf(StoreException.Conflict.class);
    assertThat(accounts.accountByName("other")).as("the second account was rolled back").isEmpty();
    assertThat(identities.accountByIdentity(ISSUER, "sub-1")).contains(first);
  }
}
