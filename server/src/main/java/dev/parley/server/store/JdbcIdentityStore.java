package dev.parley.server.store;

import static dev.parley.server.store.Jdbc.first;
import static dev.parley.server.store.Jdbc.update;

import dev.parley.server.auth.Account;
import dev.parley.server.auth.IdentityStore;
import dev.parley.server.auth.Role;
import dev.parley.server.chat.StoreException;
import dev.parley.server.chat.User;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link IdentityStore} on a JDBC {@link Database}, SQLite or PostgreSQL: links in
 * {@code account_identities}, accounts as rows of {@code users} (see {@link JdbcAccountStore}).
 * Thread-safe: it holds no mutable state.
 */
public final class JdbcIdentityStore implements IdentityStore {
  private static final String ACCOUNT = Rows.code(User.Kind.ACCOUNT);
  private static final String ACCOUNT_BY_IDENTITY = "SELECT " + JdbcAccountStore.ACCOUNT_COLUMNS
      + " FROM account_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = ? AND i.subject = ?";
  private static final String INSERT_ACCOUNT = "INSERT INTO users (id, name, name_lower, kind, created_at,"
      + " display_name, email, email_lower) VALUES (?, ?, ?, '" + ACCOUNT + "', ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String INSERT_IDENTITY = "INSERT INTO account_identities (issuer, subject, user_id, created_at)"
      + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";

  private final Jdbc jdbc;
  private final IdGenerator ids;

  /** @param ids the node's id generator, the same one as the other stores': all make users */
  public JdbcIdentityStore(Database database, IdGenerator ids) {
    this.jdbc = database.jdbc();
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  @Override
  public Optional<Account> accountByIdentity(String issuer, String subject) {
    return jdbc.read("find the account of an identity at " + issuer,
        c -> first(c, ACCOUNT_BY_IDENTITY, JdbcAccountStore::account, issuer, subject));
  }

  @Override
  public Optional<Account> createLinkedAccount(String issuer, String subject, String name,
      Optional<String> displayName, Optional<String> email, Instant createdAt) {
    Objects.requireNonNull(name, "name");
    long id = ids.next();
    long at = createdAt.toEpochMilli();
    return jdbc.write("create the account '" + name + "' for an identity at " + issuer, c -> {
      if (update(c, INSERT_ACCOUNT, id, name, Rows.lower(name), at, displayName, email, email.map(Rows::lower)) == 0) {
        return Optional.empty();
      }
      if (update(c, INSERT_IDENTITY, issuer, subject, id, at) == 0) {
        // Rolls the new account back with the transaction.
        throw new StoreException.Conflict("the identity at " + issuer + " is linked already");
      }
      return Optional.of(new Account(id, name, displayName, email, false, Role.USER, createdAt, Optional.empty()));
    });
  }
}
