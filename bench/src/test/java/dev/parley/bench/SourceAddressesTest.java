package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SourceAddressesTest {

  @Test
  void takesTheAddressesOfARangeInTurn() {
    SourceAddresses sources = SourceAddresses.parse("127.0.0.2-127.0.0.9");
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      seen.add(sources.next().getAddress().getHostAddress());
    }

    assertThat(sources.size()).isEqualTo(8);
    assertThat(seen).startsWith("127.0.0.2", "127.0.0.3").contains("127.0.0.9").endsWith("127.0.0.2");
    assertThat(sources.next().getPort()).isZero();
  }

  @Test
  void acceptsASingleAddress() {
    assertThat(SourceAddresses.parse("127.0.0.5").size()).isEqualTo(1);
  }

  @Test
  void rejectsRangesThatAreNotOneSubnet() {
    assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.9-127.0.0.2")).hasMessageContaining("empty");
    assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.2-127.0.1.9")).hasMessageContaining("last byte");
  }
}
