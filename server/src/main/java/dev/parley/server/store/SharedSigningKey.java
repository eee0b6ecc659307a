package dev.parley.server.store;

import com.nimbusds.jose.jwk.ECKey;
import dev.parley.server.auth.SigningKeyFile;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The token signing key that every node of a cluster shares, kept in the database (table
 * {@code signing_key}). The first node to ask stores its candidate; every node then reads the
 * stored one, so nodes starting at the same moment still agree.
 */
public final class SharedSigningKey {
  private static final String READ = "SELECT jwk FROM signing_key WHERE id = 1";
  private static final String INSERT = "INSERT INTO signing_key (id, jwk, created_at) VALUES (1, ?, ?)"
      + " ON CONFLICT (id) DO NOTHING";

  private SharedSigningKey() {}

  /**
   * The cluster's key: the stored one, or {@code candidate} stored first when there is none
   * (a node's own key from its data folder, so the tokens it issued stay good, or a new one).
   */
  public static ECKey loadOrStore(Database database, Supplier<ECKey> candidate) {
    Jdbc jdbc = database.jdbc();
    Optional<String> stored = jdbc.read("read the token signing key", c -> Jdbc.first(c, READ, r -> r.getString(1)));
    if (stored.isEmpty()) {
      String json = candidate.get().toJSONString();
      jdbc.write("store the token signing key", c -> Jdbc.update(c, INSERT, json, System.currentTimeMillis()));
      stored = jdbc.read("read the token signing key", c -> Jdbc.first(c, READ, r -> r.getString(1)));
    }
    return SigningKeyFile.parse(stored.orElseThrow(), "in the database");
  }
}
