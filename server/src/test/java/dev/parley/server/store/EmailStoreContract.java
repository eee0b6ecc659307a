package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.Account;
import dev.parley.server.auth.EmailCode;
import dev.parley.server.auth.EmailStore;
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
 * What every {@link JdbcEmailStore} must do, whatever engine is under it: addresses, their
 * uniqueness once verified, codes and their attempts, and the purge. A subclass per engine gives
 * each test a fresh, empty, migrated database.
 */
@Timeout(value = 60, unit = SECONDS)
abstract class EmailStoreContract {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final int MAX = 5;

  protected Database database;
  protected JdbcAccountStore accounts;
  protected JdbcEmailStore store;

  protected abstract Database openDatabase();

  protected void dropDatabase() {}

  @BeforeEach
  void openStore() {
    database = openDatabase();
    accounts = new JdbcAccountStore(database, new IdGenerator(1));
    store = new JdbcEmailStore(database);
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
  void settingAnAddressLeavesItUnverifiedAndDropsTheWaitingCode() {
    Account ada = account("ada", Optional.of("ada@old.example"));
    store.saveCode(code(ada, "ada@old.example", T0));

    assertThat(store.setEmail(ada.id(), "Ada@Example.org")).isEqualTo(EmailStore.SetResult.SET);

    Account now = accounts.account(ada.id()).orElseThrow();
    assertThat(now.email()).contains("Ada@Example.org");
    assertThat(now.emailVerified()).isFalse();
    assertThat(store.takeAttempt(ada.id(), T0, MAX)).as("the old address's code is gone").isEmpty();
  }

  @Test
  void aCodeVerifiesTheAddressItWasSentTo() {
    Account ada = account("ada", Optional.of("Ada@Example.org"));
    store.saveCode(code(ada, "ada@example.org", T0));

    assertThat(store.markVerified(ada.id(), "ada@example.org")).isEqualTo(EmailStore.VerifyResult.VERIFIED);

    assertThat(accounts.account(ada.id()).orElseThrow().emailVerified()).isTrue();
    assertThat(store.takeAttempt(ada.id(), T0, MAX)).as("a used code is gone").isEmpty();
    assertThat(store.setEmail(ada.id(), "ADA@example.org")).as("the same address in another case")
        .isEqualTo(EmailStore.SetResult.UNCHANGED);
    assertThat(store.setEmail(ada.id(), "ada@elsewhere.example")).isEqualTo(EmailStore.SetResult.SET);
    assertThat(accounts.account(ada.id()).orElseThrow().emailVerified()).as("a new address is unverified").isFalse();
  }

  @Test
  void aCodeForAnAddressNoLongerTheAccountsVerifiesNothing() {
    Account ada = account("ada", Optional.of("ada@example.org"));
    store.setEmail(ada.id(), "ada@elsewhere.example");

    assertThat(store.markVerified(ada.id(), "ada@example.org")).isEqualTo(EmailStore.VerifyResult.ADDRESS_CHANGED);
    assertThat(accounts.account(ada.id()).orElseThrow().emailVerified()).isFalse();
  }

  @Test
  void aVerifiedAddressIsOneAccountsInAnyCase() {
    Account ada = account("ada", Optional.of("shared@example.org"));
    Account bob = account("bob", Optional.of("SHARED@example.org"));
    Account cy = account("cy", Optional.empty());

    assertThat(store.markVerified(ada.id(), "shared@example.org")).isEqualTo(EmailStore.VerifyResult.VERIFIED);

    assertThat(store.markVerified(bob.id(), "shared@example.org")).as("claimed unverified before")
        .isEqualTo(EmailStore.VerifyResult.TAKEN);
    assertThat(accounts.account(bob.id()).orElseThrow().emailVerified()).isFalse();
    assertThat(store.setEmail(cy.id(), "Shared@Example.ORG")).isEqualTo(EmailStore.SetResult.TAKEN);
    assertThat(accounts.account(cy.id()).orElseThrow().email()).isEmpty();
  }

  @Test
  void ofTwoAccountsVerifyingOneAddressAtOnceExactlyOneWins() throws Exception {
    int threads = 4;
    List<Account> claimants = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      claimants.add(account("user" + i, Optional.of("race@example.org")));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<EmailStore.VerifyResult>> results = new ArrayList<>();
      for (Account a : claimants) {
        results.add(executor.submit(() -> {
          start.await();
          return store.markVerified(a.id(), "race@example.org");
        }));
      }
      start.countDown();
      List<EmailStore.VerifyResult> outcomes = new ArrayList<>();
      for (Future<EmailStore.VerifyResult> r : results) {
        outcomes.add(r.get(30, SECONDS));
      }
      assertThat(outcomes).filteredOn(o -> o == EmailStore.VerifyResult.VERIFIED).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o == EmailStore.VerifyResult.TAKEN).hasSize(threads - 1);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void eachAttemptIsCountedAndAfterTheLastTheCodeGivesNothing() {
    Account ada = account("ada", Optional.of("ada@example.org"));
    store.saveCode(code(ada, "ada@example.org", T0));

    for (int i = 1; i <= MAX; i++) {
      assertThat(store.takeAttempt(ada.id(), T0.plusSeconds(i), MAX)).hasValueSatisfying(c -> {
        assertThat(c.address()).isEqualTo("ada@example.org");
        assertThat(c.hash()).isEqualTo("hash");
      }).get().extracting(EmailCode::attempts).isEqualTo(i);
    }
    assertThat(store.takeAttempt(ada.id(), T0.plusSeconds(10), MAX)).isEmpty();

    store.saveCode(code(ada, "ada@example.org", T0.plusSeconds(20)));
    assertThat(store.takeAttempt(ada.id(), T0.plusSeconds(21), MAX)).as("a new code starts afresh")
        .get().extracting(EmailCode::attempts).isEqualTo(1);
  }

  @Test
  void concurrentAttemptsNeverGetMoreThanTheLimit() throws Exception {
    Account ada = account("ada", Optional.of("ada@example.org"));
    store.saveCode(code(ada, "ada@example.org", T0));
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads * 2; i++) {
        results.add(executor.submit(() -> {
          start.await();
          return store.takeAttempt(ada.id(), T0, MAX).isPresent();
        }));
      }
      start.countDown();
      int granted = 0;
      for (Future<Boolean> r : results) {
        granted += r.get(30, SECONDS) ? 1 : 0;
      }
      assertThat(granted).isEqualTo(MAX);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void anExpiredCodeGivesNothing() {
    Account ada = account("ada", Optional.of("ada@example.org"));
    EmailCode code = code(ada, "ada@example.org", T0);
    store.saveCode(code);

    assertThat(store.takeAttempt(ada.id(), code.expiresAt().minusMillis(1), MAX)).isPresent();
    assertThat(store.takeAttempt(ada.id(), code.expiresAt(), MAX)).isEmpty();
  }

  @Test
  void purgingDeletesExpiredAndUsedUpCodesOnly() {
    Account ada = account("ada", Optional.of("ada@example.org"));
    Account bob = account("bob", Optional.of("bob@example.org"));
    Account cy = account("cy", Optional.of("cy@example.org"));
    store.saveCode(code(ada, "ada@example.org", T0));
    store.saveCode(code(bob, "bob@example.org", T0.plusSeconds(300)));
    store.saveCode(code(cy, "cy@example.org", T0.plusSeconds(300)));
    for (int i = 0; i < MAX; i++) {
      store.takeAttempt(cy.id(), T0.plusSeconds(301), MAX);
    }
    Instant now = T0.plus(Duration.ofMinutes(10));

    assertThat(store.purgeCodes(now, MAX)).isEqualTo(2);

    assertThat(store.takeAttempt(bob.id(), now, MAX)).as("still live").isPresent();
    assertThat(store.purgeCodes(now, MAX)).isZero();
  }

  private Account account(String name, Optional<String> email) {
    return accounts.createAccount(name, "hash-of-" + name, Optional.empty(), email, T0);
  }

  private static EmailCode code(Account account, String address, Instant at) {
    return new EmailCode(account.id(), address, "00ff", "hash", at, at.plus(Duration.ofMinutes(10)), 0);
  }
}
