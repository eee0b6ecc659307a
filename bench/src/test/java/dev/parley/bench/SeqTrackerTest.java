package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SeqTrackerTest {

  @Test
  void countsLostAndDuplicatedSeqsOfARange() {
    SeqTracker tracker = new SeqTracker();
    for (long seq : new long[] {10, 11, 13, 13, 14, 11}) {
      tracker.record(seq, 0, 0);
    }

    assertThat(tracker.lost(10, 14)).isEqualTo(1);
    assertThat(tracker.lost(9, 14)).isEqualTo(2);
    assertThat(tracker.duplicates()).isEqualTo(2);
  }

  @Test
  void seqsAboveTheHighestReceivedAreNotLostButStillToCome() {
    SeqTracker tracker = new SeqTracker();
    tracker.record(10, 0, 0);
    tracker.record(12, 0, 0);

    assertThat(tracker.lost(10, 15)).isEqualTo(1);
    assertThat(tracker.behind(10, 15)).isEqualTo(3);
    assertThat(new SeqTracker().lost(1, 3)).as("nothing received").isZero();
    assertThat(new SeqTracker().behind(1, 3)).isEqualTo(3);
  }

  @Test
  void hasCaughtUpWhenTheLastMessageSentBeforeItCameBackArrived() {
    SeqTracker tracker = new SeqTracker();
    tracker.record(1, 100, 110);
    tracker.record(2, 200, 210);
    // Dropped at 1,000; messages 3 and 4 were sent while it was away, 5 after it came back.
    tracker.reconnected(1_500);
    tracker.record(3, 1_100, 1_600);
    tracker.record(4, 1_400, 1_700);
    assertThat(tracker.live()).isFalse();
    tracker.record(5, 1_800, 1_810);

    assertThat(tracker.live()).isTrue();
    assertThat(tracker.catchUpMicros(1_000)).isEqualTo(700);
  }

  @Test
  void withNothingMissedItHasCaughtUpOnceReconnected() {
    SeqTracker tracker = new SeqTracker();
    tracker.record(1, 100, 110);
    assertThat(tracker.catchUpMicros(1_000)).as("not reconnected").isEqualTo(-1);

    tracker.reconnected(1_250);

    assertThat(tracker.catchUpMicros(1_000)).isEqualTo(250);
  }

  @Test
  void isNotLiveWithAHoleBeforeTheNewMessage() {
    SeqTracker tracker = new SeqTracker();
    tracker.record(1, 100, 110);
    tracker.reconnected(1_000);
    tracker.record(3, 1_100, 1_110);

    assertThat(tracker.live()).isFalse();
    tracker.record(2, 900, 1_200);
    tracker.record(4, 1_300, 1_310);
    assertThat(tracker.live()).isTrue();
  }

  @Test
  void aSeqFarBelowTheFirstIsCountedApart() {
    SeqTracker tracker = new SeqTracker();
    tracker.record(5_000, 0, 0);
    tracker.record(1, 0, 0);

    assertThat(tracker.untracked()).isEqualTo(1);
  }
}
