package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = SECONDS)
class IdGeneratorTest {
  /** A clock the test sets. */
  private static final class ManualClock extends Clock {
    long millis = Instant.parse("2025-06-01T12:00:00Z").toEpochMilli();

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private final ManualClock clock = new ManualClock();

  @Test
  void idsCarryTheirTimeAndNode() {
    long id = new IdGenerator(513, clock).next();

    assertThat(id).isPositive();
    assertThat(IdGenerator.millisOf(id)).isEqualTo(clock.millis);
    assertThat(IdGenerator.nodeOf(id)).isEqualTo(513);
  }

  @Test
  void idsIncreaseWithinAMillisecondAndAcrossThem() {
    IdGenerator ids = new IdGenerator(1, clock);
    long a = ids.next();
    long b = ids.next();
    clock.millis++;
    long c = ids.next();

    assertThat(a).isLessThan(b).isLessThan(c);
    assertThat(IdGenerator.millisOf(c)).isEqualTo(clock.millis);
  }

  @Test
  void aClockThatStepsBackNeverRepeatsAnId() {
    IdGenerator ids = new IdGenerator(1, clock);
    long before = ids.next();
    clock.millis -= 5_000;

    assertThat(ids.next()).isGreaterThan(before);
  }

  @Test
  void moreThanACounterPerMillisecondBorrowsTheNextMillisecond() {
    IdGenerator ids = new IdGenerator(7, clock);
    Set<Long> seen = new HashSet<>();
    long last = 0;
    for (int i = 0; i < 3 * (IdGenerator.MAX_COUNTER + 1); i++) {
      long id = ids.next();
      assertThat(id).isGreaterThan(last);
      assertThat(IdGenerator.nodeOf(id)).isEqualTo(7);
      seen.add(id);
      last = id;
    }
    assertThat(seen).hasSize(3 * (IdGenerator.MAX_COUNTER + 1));
    assertThat(IdGenerator.millisOf(last)).isEqualTo(clock.millis + 2);
  }

  @Test
  void nodesNeverCollide() {
    IdGenerator one = new IdGenerator(1, clock);
    IdGenerator two = new IdGenerator(2, clock);
    List<Long> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(one.next());
      all.add(two.next());
    }
    assertThat(all).doesNotHaveDuplicates();
  }

  @Test
  void nodeIdsAreTenBits() {
    assertThatThrownBy(() -> new IdGenerator(-1)).hasMessageContaining("nodeId");
    assertThatThrownBy(() -> new IdGenerator(IdGenerator.MAX_NODE_ID + 1)).hasMessageContaining("nodeId");
    assertThat(IdGenerator.nodeOf(new IdGenerator(IdGenerator.MAX_NODE_ID).next())).isEqualTo(1023);
  }

  @Test
  void theSystemClockMakesIncreasingIdsFromManyThreads() throws Exception {
    IdGenerator ids = new IdGenerator(3);
    Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          seen.add(ids.next());
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    assertThat(seen).hasSize(40_000);
  }
}
