package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The two-factor store contract on SQLite (a file in a temporary directory). */
@Timeout(value = 60, unit = SECONDS)
class SqliteTwoFactorStoreTest extends TwoFactorStoreContract {
  @TempDir
  Path dir;

  @Override
  protected Database openDatabase() {
    return Database.open("jdbc:sqlite:" + dir.resolve("parley.db"));
  }
}
