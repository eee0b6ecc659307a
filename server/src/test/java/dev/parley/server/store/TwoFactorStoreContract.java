package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.TwoFactorStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link JdbcTwoFactorStore} must do, whatever engine is under it. */
@Timeout(value = 60, unit = SECONDS)
abstract class TwoFactorStoreContract {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  protected Database database;
  protected JdbcTwoFactorStore store;
  private long ada;
  private long bob;

  protected abstract Database openDatabase();

  protected void dropDatabase() {}

  @BeforeEach
  void openStore() {
    database = openDatabase();
    store = new JdbcTwoFactorStore(database);
    JdbcAccountStore accounts = new JdbcAccountStore(database, new IdGenerator(1));
    ada = accounts.createAccount("ada", "hash", Optional.empty(), Optional.empty(), T0).id();
    bob = accounts.createAccount("bob", "hash", Optional.empty(), Optional.empty(), T0).id();
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
  void aSecretIsPendingUntilEnabledWithItAndThenCannotBeReplacedBySetup() {
    assertThat(store.credential(ada)).isEmpty();
    assertThat(store.beginSetup(ada, "SECRETONE", T0)).isTrue();
    assertThat(store.beginSetup(ada, "SECRETTWO", T0.plusSeconds(5))).as("a new setup replaces a pending one").isTrue();
    assertThat(store.credential(ada)).hasValueSatisfying(c -> {
      assertThat(c.secret()).isEqualTo("SECRETTWO");
      assertThat(c.enabled()).isFalse();
    });

    assertThat(store.enable(ada, "SECRETONE", 100, List.of("h1"), T0)).as("not the pending secret").isFalse();
    assertThat(store.enable(ada, "SECRETTWO", 100, List.of("h1", "h2"), T0.plusSeconds(10))).isTrue();

    TwoFactorStore.Credential on = store.credential(ada).orElseThrow();
    assertThat(on.enabledAt()).contains(T0.plusSeconds(10));
    assertThat(on.lastStep()).isEqualTo(100);
    assertThat(store.unusedRecoveryCodes(ada)).isEqualTo(2);
    assertThat(store.beginSetup(ada, "SECRETTHREE", T0)).as("enabled: setup refused").isFalse();
    assertThat(store.credential(ada).orElseThrow().secret()).isEqualTo("SECRETTWO");
    assertThat(store.credential(bob)).isEmpty();
  }

  @Test
  void aStepIsUsedOnceAndNeverAnEarlierOne() {
    store.beginSetup(ada, "S", T0);
    store.enable(ada, "S", 100, List.of(), T0);

    assertThat(store.useStep(ada, 100)).as("the step enable used").isFalse();
    assertThat(store.useStep(ada, 101)).isTrue();
    assertThat(store.useStep(ada, 101)).as("replay").isFalse();
    assertThat(store.useStep(ada, 99)).as("earlier").isFalse();
    assertThat(store.useStep(bob, 500)).as("no authenticator").isFalse();
  }

  @Test
  void aRecoveryCodeWorksOnceAndOnlyForItsUser() {
    store.beginSetup(ada, "S", T0);
    store.enable(ada, "S", 1, List.of("h1", "h2"), T0);

    assertThat(store.useRecoveryCode(bob, "h1", T0)).isFalse();
    assertThat(store.useRecoveryCode(ada, "h1", T0)).isTrue();
    assertThat(store.useRecoveryCode(ada, "h1", T0)).isFalse();
    assertThat(store.useRecoveryCode(ada, "nope", T0)).isFalse();
    assertThat(store.unusedRecoveryCodes(ada)).isEqualTo(1);
  }

  @Test
  void disablingRemovesTheSecretCodesAndChallenges() {
    store.beginSetup(ada, "S", T0);
    store.enable(ada, "S", 1, List.of("h1"), T0);
    store.createChallenge(new TwoFactorStore.Challenge("c1", ada, T0, T0.plusSeconds(300), 0));

    assertThat(store.disable(ada)).isTrue();
    assertThat(store.disable(ada)).isFalse();
    assertThat(store.credential(ada)).isEmpty();
    assertThat(store.unusedRecoveryCodes(ada)).isZero();
    assertThat(store.challenge("c1")).isEmpty();
    assertThat(store.beginSetup(ada, "S2", T0)).isTrue();
  }

  @Test
  void challengesCountFailuresAreConsumedOnceAndExpire() {
    TwoFactorStore.Challenge c = new TwoFactorStore.Challenge("c1", ada, T0, T0.plus(Duration.ofMinutes(5)), 0);
    store.createChallenge(c);
    store.createChallenge(new TwoFactorStore.Challenge("c2", bob, T0, T0.plus(Duration.ofMinutes(1)), 0));

    assertThat(store.challenge("c1")).contains(c);
    assertThat(store.failChallenge("c1")).isEqualTo(1);
    assertThat(store.failChallenge("c1")).isEqualTo(2);
    assertThat(store.challenge("c1").orElseThrow().failures()).isEqualTo(2);

    assertThat(store.deleteExpiredChallenges(T0.plus(Duration.ofMinutes(2)))).isEqualTo(1);
    assertThat(store.challenge("c2")).isEmpty();
    assertThat(store.consumeChallenge("c1")).isTrue();
    assertThat(store.consumeChallenge("c1")).isFalse();
    assertThat(store.challenge("c1")).isEmpty();
  }
}
