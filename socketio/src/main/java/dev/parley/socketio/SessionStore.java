package dev.parley.socketio;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /**
   * Reserves the offset of {@code packet}, about to be sent. The server calls this one, so a store
   * may put something of the packet into its offset (a store backed by a message table, the id of
   * the message it carries); by default it is {@link #nextOffset()}. Offsets are sent inside JSON
   * strings and must need no escaping.
   */
  default String nextOffset(EventPacket packet) {
    return nextOffset();
  }

  /** Keeps a packet sent with {@code offset} to the sockets {@code target} selects. */
  void record(String offset, BroadcastOptions target, StoredPacket packet);

  /**
   * A socket with a private id connected (new or recovered), after the middlewares ran: a store
   * that must survive a crash can note the session now. Nothing by default.
   *
   * @param data the socket's {@link Socket#data()} as the middlewares left it
   */
  default void connected(String sid, String pid, Map<String, Object> data) {}

  /** Keeps the session of a socket whose connection dropped. */
  void persist(PersistedSession session);

  /** The socket of {@code pid} left for good: it will not be recovered. Nothing by default. */
  default void discard(String pid) {}

  /**
   * Takes back the session of private id {@code pid} with every packet it missed after
   * {@code offset}, once. Empty when there is no such session, it expired, or the packets after
   * the offset are no longer all known: the client then starts a new session.
   */
  CompletionStage<Optional<RecoveredSession>> restore(String pid, String offset);

  /**
   * The packets recorded after {@code offset} that a socket in {@code rooms} would have received,
   * in order. The server asks right after a session is restored, while no packet is being
   * recorded, with the {@link RecoveredSession#upTo()} of the restore: together they are
   * everything the socket missed, however long the restore took. Empty by default.
   */
  default List<StoredPacket> since(String offset, Set<String> rooms) {
    return List.of();
  }

  /** Releases what the store holds. */
  default void close() {}
}
