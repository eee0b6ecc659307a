package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class NamespaceSessionTest {

  @Test
  void theMainNamespaceConnectsWithoutAuth() {
    assertThat(NamespaceSession.main().connectPacket()).isEqualTo("40");
    assertThat(NamespaceSession.of("/", Map.of("token", "t"), false).connectPacket()).isEqualTo("40{\"token\":\"t\"}");
  }

  @Test
  void presentsThePidOnlyWithAnOffset() {
    NamespaceSession session = NamespaceSession.of("/chat", Map.of("name", "b\"1"), true);
    assertThat(session.connectPacket()).isEqualTo("40/chat,{\"name\":\"b\\\"1\"}");

    session.pid("p");
    assertThat(session.connectPacket()).isEqualTo("40/chat,{\"name\":\"b\\\"1\"}");
    assertThat(session.presentedPid()).isEmpty();

    session.offset("o");
    session.auth("guestKey", "k");
    assertThat(session.connectPacket()).isEqualTo("40/chat,{\"name\":\"b\\\"1\",\"guestKey\":\"k\",\"pid\":\"p\",\"offset\":\"o\"}");
    assertThat(session.presentedPid()).contains("p");
  }

  @Test
  void forgetsThePidWhenItDoesNotTrackRecovery() {
    NamespaceSession session = NamespaceSession.of("/chat", Map.of("name", "c"), false);
    session.pid("p");
    session.offset("o");

    assertThat(session.pid()).isEmpty();
    assertThat(session.connectPacket()).isEqualTo("40/chat,{\"name\":\"c\"}");
  }

  @Test
  void refusesWhatIsNotANamespace() {
    assertThatThrownBy(() -> NamespaceSession.of("chat", Map.of(), false)).hasMessageContaining("starts with '/'");
    assertThatThrownBy(() -> NamespaceSession.of("/a,b", Map.of(), false)).hasMessageContaining("no ','");
  }
}
