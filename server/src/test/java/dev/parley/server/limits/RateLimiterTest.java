package dev.parley.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** Time that moves only when the test says so. */
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final TimeMeter clock = new TimeMeter() {
    @Override
    public long currentTimeNanos() {
      return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  };
  private final RateLimiter limiter = new RateLimiter(new RateLimiter.Limits(10, 20, 50, 3, 4, 6), clock);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aUserSendsABurstThenAtTheSustainedRate() {
    for (int i = 0; i < 20; i++) {
      assertThat(limiter.message(1)).as("message %d of the burst", i).isEmpty();
    }
    Optional<Duration> wait = limiter.message(1);
    assertThat(wait).as("the 21st at once").isPresent();
    assertThat(wait.get()).isBetween(Duration.ofMillis(1), Duration.ofMillis(100));

    advance(Duration.ofMillis(100));
    assertThat(limiter.message(1)).as("one more after a tenth of a second").isEmpty();
    assertThat(limiter.message(1)).isPresent();
  }

  @Test
  void usersAndAddressesHaveBucketsOfTheirOwn() {
    for (int i = 0; i < 20; i++) {
      limiter.message(1);
    }
    assertThat(limiter.message(1)).isPresent();
    assertThat(limiter.message(2)).as("another user").isEmpty();
    assertThat(limiter.request(1)).as("requests are counted apart from messages").isEmpty();

    for (int i = 0; i < 3; i++) {
      assertThat(limiter.connection("10.0.0.1")).isEmpty();
    }
    assertThat(limiter.connection("10.0.0.1")).get().satisfies(w -> assertThat(w).isBetween(
        Duration.ofSeconds(1), Duration.ofSeconds(20)));
    assertThat(limiter.connection("10.0.0.2")).isEmpty();
  }

  @Test
  void requestsAllowBurstsOfTwiceTheRate() {
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.request(7)).as("request %d", i).isEmpty();
    }
    assertThat(limiter.request(7)).isPresent();
  }

  @Test
  void signInsAreLimitedPerAccountInAnyCaseAndPerAddress() {
    InetSocketAddress one = new InetSocketAddress("10.0.0.1", 40000);
    InetSocketAddress two = new InetSocketAddress("10.0.0.2", 40000);
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.signIn(i % 2 == 0 ? "Ada" : "ada", i < 2 ? one : two)).as("attempt %d", i).isEmpty();
    }
    assertThat(limiter.signIn("ADA", new InetSocketAddress("10.0.0.3", 1))).as("the account's budget, any address")
        .get().satisfies(w -> assertThat(w).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(5)));
    assertThat(limiter.signIn("grace", one)).as("another account").isEmpty();

    // Address one has spent 3 of its 6: three more attempts on fresh accounts, then none.
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.authAttempt(one)).isEmpty();
    }
    assertThat(limiter.signIn("linus", one)).as("the address's budget").isPresent();
    assertThat(limiter.refusedSignIns()).isEqualTo(2);
  }

  @Test
  void sweepForgetsTheBucketsThatAreFullAgain() {
    limiter.message(1);
    limiter.connection("10.0.0.1");
    for (int i = 0; i < 20; i++) {
      limiter.message(2);
    }
    assertThat(limiter.size()).isEqualTo(3);

    advance(Duration.ofMillis(150));
    limiter.sweep();
    assertThat(limiter.size()).as("user 2 still below its burst; address 1 still refilling").isEqualTo(2);

    advance(Duration.ofMinutes(1));
    limiter.sweep();
    assertThat(limiter.size()).isZero();
    for (int i = 0; i < 20; i++) {
      assertThat(limiter.message(2)).as("a forgotten user starts with a full burst").isEmpty();
    }
  }

  @Test
  void emailCodesGoOutOnceAMinuteAndFiveTimesAnHourPerAccount() {
    assertThat(limiter.emailCode(1)).isEmpty();
    assertThat(limiter.emailCode(1)).as("again at once").get()
        .satisfies(w -> assertThat(w).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60)));
    assertThat(limiter.emailCode(2)).as("another account").isEmpty();

    for (int i = 2; i <= 5; i++) {
      advance(Duration.ofMinutes(1));
      assertThat(limiter.emailCode(1)).as("code %d, a minute later", i).isEmpty();
    }
    advance(Duration.ofMinutes(1));
    assertThat(limiter.emailCode(1)).as("the sixth within the hour").get()
        .satisfies(w -> assertThat(w).isGreaterThan(Duration.ofMinutes(1)));
    assertThat(limiter.refusedEmailCodes()).isEqualTo(2);

    advance(Duration.ofMinutes(12));
    assertThat(limiter.emailCode(1)).as("an hour's fifth has come back; the refusal spent no minute").isEmpty();
    limiter.sweep();
    advance(Duration.ofHours(2));
    limiter.sweep();
    assertThat(limiter.size()).as("full buckets are forgotten").isZero();
  }
}
