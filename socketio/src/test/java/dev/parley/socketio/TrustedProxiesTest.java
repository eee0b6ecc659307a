package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 40000);
  private static final InetSocketAddress STRANGER = new InetSocketAddress("203.0.113.9", 40000);
  private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/24", "::1"));

  @Test
  void aTrustedProxyNamesTheClientBehindIt() {
    assertThat(proxies.client(PROXY, "198.51.100.7").getAddress().getHostAddress()).isEqualTo("198.51.100.7");
  }

  @Test
  void theNearestHopThatIsNotAProxyIsTheClientNotWhatTheClientClaims() {
    // The client wrote "1.2.3.4" itself; the first proxy appended the address it saw.
    InetSocketAddress client = proxies.client(PROXY, "1.2.3.4, 198.51.100.7, 10.0.0.6");
    assertThat(client.getAddress().getHostAddress()).isEqualTo("198.51.100.7");
  }

  @Test
  void anyoneElsesHeadersAreIgnored() {
    assertThat(proxies.client(STRANGER, "198.51.100.7")).isSameAs(STRANGER);
    assertThat(proxies.secure(STRANGER, false, "https")).isFalse();
    assertThat(TrustedProxies.none().client(PROXY, "198.51.100.7")).isSameAs(PROXY);
  }

  @Test
  void garbageInTheHeaderStopsTheWalkAtWhatWasRead() {
    assertThat(proxies.client(PROXY, "not-an-address")).isSameAs(PROXY);
    assertThat(proxies.client(PROXY, "198.51.100.7, unknown").getAddress().getHostAddress())
        .as("the proxy's own entry is unreadable: the proxy itself").isEqualTo("10.0.0.5");
  }

  @Test
  void theSchemeComesFromATrustedProxyOrTheConnection() {
    assertThat(proxies.secure(PROXY, false, "https")).isTrue();
    assertThat(proxies.secure(PROXY, false, "HTTPS, http")).isTrue();
    assertThat(proxies.secure(PROXY, false, "http")).isFalse();
    assertThat(proxies.secure(PROXY, false, null)).isFalse();
    assertThat(proxies.secure(STRANGER, true, null)).isTrue();
  }

  @Test
  void ipv6AndSingleAddressesAreTrustedExactly() {
    assertThat(proxies.trusts(new InetSocketAddress("::1", 1))).isTrue();
    assertThat(proxies.trusts(new InetSocketAddress("10.0.1.5", 1))).isFalse();
  }

  @Test
  void entriesThatAreNotAddressesAreRefused() {
    assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.example.org")))
        .hasMessageContaining("proxy.example.org");
    assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
  }
}
