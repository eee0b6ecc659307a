package dev.parley.server.store;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The name of the cluster whose nodes share this database (table {@code cluster_identity}): made
 * at random by the first node that asks, the same for every node after. The nodes start every
 * Redis key and channel with it, so that clusters on different databases can share a Redis.
 */
public final class ClusterIdentity {
  private static final String READ = "SELECT name FROM cluster_identity WHERE id = 1";
  private static final String INSERT = "INSERT INTO cluster_identity (id, name) VALUES (1, ?) ON CONFLICT (id) DO NOTHING";

  private ClusterIdentity() {}

  /** This database's cluster name, made first when there is none. Blocks. */
  public static String loadOrCreate(Database database) {
    Jdbc jdbc = database.jdbc();
    Optional<String> name = jdbc.read("read the cluster's name", c -> Jdbc.first(c, READ, r -> r.getString(1)));
    if (name.isPresent()) {
      return name.get();
    }
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String made = HexFormat.of().formatHex(random);
    jdbc.write("name the cluster", c -> Jdbc.update(c, INSERT, made));
    return jdbc.read("read the cluster's name", c -> Jdbc.first(c, READ, r -> r.getString(1))).orElseThrow();
  }
}
