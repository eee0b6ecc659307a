package dev.parley.socketio;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps the room membership of one namespace and carries broadcasts to the sockets they target.
 * The default, {@link LocalAdapter}, serves one server process; a cluster adapter also forwards
 * broadcasts and server-side operations to the other servers.
 *
 * <p>Membership methods are called on the event loop of the socket concerned. Broadcast and
 * server-side operations may be called from any thread.
 */
public interface Adapter {
  /** Adds {@code socket} to {@code rooms}. */
  void addAll(Socket socket, Set<String> rooms);

  /** Removes {@code socket} from {@code room}. */
  void del(Socket socket, String room);

  /** Removes {@code socket} from every room, as it leaves the namespace. */
  void delAll(Socket socket);

  /** Sends {@code event} to every socket that {@code options} target, encoding it once. */
  void broadcast(EventPacket event, BroadcastOptions options);

  /** The rooms that have at least one socket, on this server. */
  CompletableFuture<Set<String>> rooms();

  /** The sockets that {@code options} target. */
  CompletableFuture<List<RemoteSocket>> fetchSockets(BroadcastOptions options);

  /** Makes the targeted sockets join {@code rooms}. */
  void addSockets(BroadcastOptions options, Set<String> rooms);

  /** Makes the targeted sockets leave {@code rooms}. */
  void delSockets(BroadcastOptions options, Set<String> rooms);

  /** Disconnects the targeted sockets; with {@code close}, their whole connections too. */
  void disconnectSockets(BroadcastOptions options, boolean close);

  /**
   * Sends an event to the other servers of a cluster, for their {@link Namespace#onServerSideEvent}
   * handlers. A single server has no other servers: the local adapter does nothing.
   */
  void serverSideEmit(EventPacket event);

  /** Releases what the adapter holds; the namespace is going away. */
  default void close() {}
}
