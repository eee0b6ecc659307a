package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class GeneratorOptionsTest {

  @Test
  void oneServerHasOnePortAndPid() {
    GeneratorOptions o = GeneratorOptions.parse(new String[] {"--scenario", "fanout", "--port", "3300",
        "--server-pid", "42"});

    assertThat(o.targets()).containsExactly(new InetSocketAddress("127.0.0.1", 3300));
    assertThat(o.target()).isEqualTo(new InetSocketAddress("127.0.0.1", 3300));
    assertThat(o.serverPids()).containsExactly(42L);
  }

  @Test
  void aClusterHasAPortAndAPidPerNode() {
    GeneratorOptions o = GeneratorOptions.parse(new String[] {"--scenario", "cluster", "--port", "3301,3302",
        "--server-pid", "41,42", "--senders", "4"});

    assertThat(o.targets()).containsExactly(new InetSocketAddress("127.0.0.1", 3301),
        new InetSocketAddress("127.0.0.1", 3302));
    assertThat(o.serverPids()).isEqualTo(List.of(41L, 42L));
    assertThat(o.size("senders", 20)).isEqualTo(4);
    // Workers get the same nodes.
    assertThat(o.args()).containsSequence("--port", "3301,3302");
  }

  @Test
  void withoutAPidTheServerIsNotMeasured() {
    GeneratorOptions o = GeneratorOptions.parse(new String[] {"--scenario", "cluster", "--port", "3301"});

    assertThat(o.serverPids()).isEmpty();
  }

  @Test
  void rejectsAPortListThatIsNotNumbers() {
    assertThatThrownBy(() -> GeneratorOptions.parse(new String[] {"--scenario", "cluster", "--port", "3301,"}))
        .hasMessageContaining("--port takes numbers separated by commas");
    assertThatThrownBy(() -> GeneratorOptions.parse(new String[] {"--scenario", "cluster", "--port", "1",
        "--server-pid", "x"})).hasMessageContaining("--server-pid takes numbers");
  }
}
