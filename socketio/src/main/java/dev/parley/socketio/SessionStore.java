package dev.parley.socketio;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Keeps what connection-state recovery needs for one namespace: the sessions of sockets whose
 * connection dropped, and the packets sent meanwhile. The default keeps both in memory
 * ({@link InMemorySessionStore}); a server may back it with durable or shared storage so that
 * recovery works across restarts and across servers.
 *
 * <p>Every method may be called from any thread and must not block.
 */
public interface SessionStore {
  /** Reserves the offset of a packet about to be sent; offsets increase in the order reserved. */
  String nextOffset();

  /** Keeps a packet sent with {@code offset} to the sockets {@code target} selects. */
  void record(String offset, BroadcastOptions target, StoredPacket packet);

  /** Keeps the session of a socket whose connection dropped. */
  void persist(PersistedSession session);

  /**
   * Takes back the session of private id {@code pid} with every packet it missed after
   * {@code offset}, once. Empty when there is no such session, it expired, or the packets after
   * the offset are no longer all known: the client then starts a new session.
   */
  CompletionStage<Optional<RecoveredSession>> restore(String pid, String offset);

  /** Releases what the store holds. */
  default void close() {}
}
