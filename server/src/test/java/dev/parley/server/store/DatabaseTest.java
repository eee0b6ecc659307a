package dev.parley.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.chat.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Database URLs, dialects and options; no server needed. */
@Timeout(value = 30, unit = SECONDS)
class DatabaseTest {
  @Test
  void jdbcUrlsAreKeptAsTheyAre() {
    assertThat(Database.jdbcUrl("jdbc:sqlite:data/parley.db")).isEqualTo("jdbc:sqlite:data/parley.db");
    assertThat(Database.jdbcUrl(" jdbc:postgresql://db:5432/parley?user=p ")).isEqualTo("jdbc:postgresql://db:5432/parley?user=p");
  }

  @Test
  void theShortPostgresqlFormBecomesAJdbcUrl() {
    assertThat(Database.jdbcUrl("postgresql://parley@db.example:6543/chat"))
        .isEqualTo("jdbc:postgresql://db.example:6543/chat?user=parley");
    assertThat(Database.jdbcUrl("postgres://root@127.0.0.1/test?sslmode=disable"))
        .isEqualTo("jdbc:postgresql://127.0.0.1/test?user=root&sslmode=disable");
    assertThat(Database.jdbcUrl("postgresql://u%40x:p%3As+w%26@host:5432/db"))
        .isEqualTo("jdbc:postgresql://host:5432/db?user=u%40x&password=p%3As%2Bw%26");
    assertThat(Database.jdbcUrl("postgresql://host")).isEqualTo("jdbc:postgresql://host/");
    assertThat(Database.jdbcUrl("postgresql://[::1]:5432/test")).isEqualTo("jdbc:postgresql://[::1]:5432/test");
  }

  @Test
  void eachUrlHasItsDialect() {
    assertThat(Dialect.ofJdbcUrl("jdbc:sqlite:x.db")).isEqualTo(Dialect.SQLITE);
    assertThat(Dialect.ofJdbcUrl(Database.jdbcUrl("postgresql://u@h/db"))).isEqualTo(Dialect.POSTGRESQL);
  }

  @Test
  void otherUrlsAreRefusedWithoutShowingThePassword() {
    assertThatThrownBy(() -> Database.jdbcUrl("mysql://root:secret@localhost/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://USER@HOST:PORT/DB")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> Database.open("jdbc:h2:mem:x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void redactionHidesPasswordsInBothForms() {
    assertThat(Database.redact("jdbc:postgresql://h/db?user=u&password=secret&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
    assertThat(Database.redact("postgresql://u:secret@h/db")).isEqualTo("postgresql://u:***@h/db");
    assertThat(DatabaseOptions.of("postgresql://u:secret@h/db").toString()).doesNotContain("secret");
  }

  @Test
  void defaultOptionsSuitEachEngine() {
    DatabaseOptions sqlite = DatabaseOptions.of("jdbc:sqlite:x.db");
    assertThat(sqlite.maxPoolSize()).isEqualTo(DatabaseOptions.SQLITE_POOL_SIZE);
    assertThat(sqlite.sqliteSynchronous()).isEqualTo(DatabaseOptions.SqliteSynchronous.FULL);
    assertThat(DatabaseOptions.of("postgresql://u@h/db").maxPoolSize()).isEqualTo(DatabaseOptions.POSTGRESQL_POOL_SIZE);
  }

  @Test
  void optionsAreValidated() {
    DatabaseOptions options = DatabaseOptions.of("jdbc:sqlite:x.db");
    assertThatThrownBy(() -> options.withMaxPoolSize(0)).hasMessageContaining("maxPoolSize");
    assertThatThrownBy(() -> options.withBusyTimeout(Duration.ZERO)).hasMessageContaining("busyTimeout");
    assertThatThrownBy(() -> DatabaseOptions.of(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultSqliteFileLivesInTheDataDirectory(@TempDir Path dir) {
    String url = Database.sqliteUrl(dir.resolve("data"));

    assertThat(url).isEqualTo("jdbc:sqlite:" + dir.resolve("data").resolve("parley.db").toAbsolutePath());
    try (Database database = Database.open(url)) {
      assertThat(database.dialect()).isEqualTo(Dialect.SQLITE);
    }
    assertThat(dir.resolve("data").resolve("parley.db")).exists();
  }

  @Test
  void anUnreachableServerFailsWithAStoreExceptionThatSaysWhere() {
    DatabaseOptions options = DatabaseOptions.of("postgresql://nobody:secret@127.0.0.1:1/none?connectTimeout=2");

    assertThatThrownBy(() -> Database.open(options))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageNotContaining("secret");
  }
}
