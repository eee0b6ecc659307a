package dev.parley.server.gateway;

import dev.parley.server.chat.User;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Who is online beyond this node's own connections, and who tells the others when a user comes
 * and goes, so that each change is announced once however many connections, tabs or nodes the
 * user has. The gateway counts its own connections; it asks here when a user's first connection
 * on this node opens and once its last one has been closed for the grace period.
 */
public interface Presence {
  /**
   * The user's first connection on this node opened. Completes with whether the others must hear
   * it came online (it was not announced as online already).
   */
  CompletableFuture<Boolean> claimOnline(User user);

  /**
   * The user has had no connection on this node for the grace period. Completes with whether the
   * others must hear it went offline (it has no connection on any node, and nobody told them yet).
   */
  CompletableFuture<Boolean> claimOffline(User user);

  /** Whether the user has a connection on another node, from memory. */
  boolean onlineElsewhere(long userId);

  /**
   * Where changes this node did not see happen are announced (a user of a node that stopped
   * without saying so went offline): {@code announce(user, online)}.
   */
  default void onAnnounce(BiConsumer<User, Boolean> announce) {}

  /** One node: what it has announced is all there is. */
  static Presence local() {
    Set<Long> announced = ConcurrentHashMap.newKeySet();
    return new Presence() {
      @Override
      public CompletableFuture<Boolean> claimOnline(User user) {
        return CompletableFuture.completedFuture(announced.add(user.id()));
      }

      @Override
      public CompletableFuture<Boolean> claimOffline(User user) {
        return CompletableFuture.completedFuture(announced.remove(user.id()));
      }

      @Override
      public boolean onlineElsewhere(long userId) {
        return false;
      }
    };
  }
}
