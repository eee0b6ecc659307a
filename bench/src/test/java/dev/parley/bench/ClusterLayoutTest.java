package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClusterLayoutTest {

  @Test
  void splitsClientsAndSendersHalfAndHalf() {
    ClusterLayout layout = new ClusterLayout(400, 10, 2);

    assertThat(layout.clientsOn(0)).isEqualTo(200);
    assertThat(layout.clientsOn(1)).isEqualTo(200);
    assertThat(layout.sendersOn(0)).isEqualTo(5);
    assertThat(layout.sendersOn(1)).isEqualTo(5);
  }

  @Test
  void anOddRemainderGoesToTheFirstNodes() {
    ClusterLayout layout = new ClusterLayout(7, 3, 2);

    assertThat(layout.clientsOn(0)).isEqualTo(4);
    assertThat(layout.clientsOn(1)).isEqualTo(3);
    assertThat(layout.sendersOn(0)).isEqualTo(2);
    assertThat(layout.sendersOn(1)).isEqualTo(1);
  }

  @Test
  void eachNodesClientsAreItsOwnAndItsFirstOnesSend() {
    for (int nodes = 1; nodes <= 4; nodes++) {
      for (int clients = nodes; clients <= 30; clients++) {
        for (int senders = nodes; senders <= clients; senders++) {
          ClusterLayout layout = new ClusterLayout(clients, senders, nodes);
          Set<Integer> seen = new HashSet<>();
          int sending = 0;
          for (int node = 0; node < nodes; node++) {
            assertThat(layout.sendersOn(node)).isBetween(1, layout.clientsOn(node));
            for (int k = 0; k < layout.clientsOn(node); k++) {
              int client = layout.client(node, k);
              assertThat(layout.node(client)).isEqualTo(node);
              assertThat(layout.sends(client)).isEqualTo(k < layout.sendersOn(node));
              assertThat(seen.add(client)).isTrue();
              sending += layout.sends(client) ? 1 : 0;
            }
          }
          int all = clients;
          assertThat(seen).hasSize(all).allMatch(c -> c >= 0 && c < all);
          assertThat(sending).isEqualTo(senders);
        }
      }
    }
  }

  @Test
  void everyNodeNeedsAClientAndASender() {
    assertThatThrownBy(() -> new ClusterLayout(1, 1, 2)).hasMessageContaining("every node needs a client");
    assertThatThrownBy(() -> new ClusterLayout(10, 1, 2)).hasMessageContaining("at least one per node");
    assertThatThrownBy(() -> new ClusterLayout(10, 11, 2)).hasMessageContaining("at most the clients");
    assertThatThrownBy(() -> new ClusterLayout(10, 2, 2).client(0, 5)).hasMessageContaining("no client 5");
  }
}
