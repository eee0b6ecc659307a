package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The identity store contract on SQLite (a file in a temporary directory). */
@Timeout(value = 60, unit = SECONDS)
class SqliteIdentityStoreTest extends IdentityStoreContract {
  @TempDir
  Path dir;

  @Override
  protected Database openDatabase() {
    return Database.open("jdbc:sqlite:" + dir.resolve("parley.db"));
  }
}
