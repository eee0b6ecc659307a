package dev.parley.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
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
  private final RateLimiter limiter = new RateLimiter(new RateLimiter.Limits(10, 20, 50, 3), clock);

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
}
