package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ShareTest {

  @Test
  void sharesCoverEveryItemOnce() {
    int total = 10_001;
    int covered = 0;
    int expectedFrom = 0;
    for (int i = 0; i < 3; i++) {
      Share share = new Share(i, 3);
      assertThat(share.from(total)).isEqualTo(expectedFrom);
      covered += share.size(total);
      expectedFrom = share.to(total);
    }
    assertThat(covered).isEqualTo(total);
    assertThat(expectedFrom).isEqualTo(total);
  }

  @Test
  void parsesIndexOverCount() {
    assertThat(Share.parse("1/3")).isEqualTo(new Share(1, 3));
    assertThat(Share.whole().coordinator()).isTrue();
    assertThat(new Share(2, 3).coordinator()).isFalse();
  }

  @Test
  void rejectsSharesOutsideTheCount() {
    assertThatThrownBy(() -> Share.parse("3/3")).hasMessageContaining("0 <= index < count");
    assertThatThrownBy(() -> Share.parse("3")).hasMessageContaining("1/3");
  }
}
