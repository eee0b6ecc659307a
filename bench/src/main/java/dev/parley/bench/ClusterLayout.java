package dev.parley.bench;

/**
 * How the {@code cluster} scenario spreads one generator process's clients over the nodes: client
 * {@code i} goes to node {@code i % nodes}, and clients {@code 0 .. senders - 1} send, so that
 * every node holds as many clients and as many senders as the others, give or take one.
 *
 * @param clients clients of this process, senders included
 * @param senders how many of them send
 * @param nodes the groups the clients are split into (one client pool each)
 */
record ClusterLayout(int clients, int senders, int nodes) {

  ClusterLayout {
    if (nodes <= 0) {
      throw new IllegalArgumentException("nodes must be positive: " + nodes);
    }
    if (clients < nodes) {
      throw new IllegalArgumentException("every node needs a client: " + clients + " clients for " + nodes + " nodes");
    }
    if (senders < nodes || senders > clients) {
      throw new IllegalArgumentException("senders must be at least one per node and at most the clients: " + senders
          + " senders, " + clients + " clients, " + nodes + " nodes");
    }
  }

  /** The node client {@code i} connects to. */
  int node(int client) {
    return client % nodes;
  }

  /** The client that is the {@code k}-th (from 0) of {@code node}'s. */
  int client(int node, int k) {
    if (k < 0 || k >= clientsOn(node)) {
      throw new IllegalArgumentException("node " + node + " has no client " + k);
    }
    return k * nodes + node;
  }

  /** Whether client {@code i} sends. */
  boolean sends(int client) {
    return client < senders;
  }

  /** How many clients connect to {@code node}. */
  int clientsOn(int node) {
    return share(clients, node);
  }

  /** How many of {@code node}'s clients send: the first ones it gets. */
  int sendersOn(int node) {
    return share(senders, node);
  }

  /** Items of {@code total} dealt round-robin that land on {@code node}. */
  private int share(int total, int node) {
    if (node < 0 || node >= nodes) {
      throw new IllegalArgumentException("no node " + node + " of " + nodes);
    }
    return total / nodes + (node < total % nodes ? 1 : 0);
  }
}
