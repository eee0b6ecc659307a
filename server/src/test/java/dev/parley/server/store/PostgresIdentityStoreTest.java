package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;

import org.junit.jupiter.api.Timeout;

/**
 * The identity store contract on the local PostgreSQL, in a schema of each test's own (see
 * {@link PostgresSchemas}); skipped, saying so, without a server unless {@code CI=true}.
 */
@Timeout(value = 60, unit = SECONDS)
class PostgresIdentityStoreTest extends IdentityStoreContract {
  private String schema;

  @Override
  protected Database openDatabase() {
    schema = PostgresSchemas.create();
    return Database.open(DatabaseOptions.of(PostgresSchemas.url(schema)).withMaxPoolSize(4));
  }

  @Override
  protected void dropDatabase() {
    if (schema != null) {
      PostgresSchemas.drop(schema);
    }
  }
}
