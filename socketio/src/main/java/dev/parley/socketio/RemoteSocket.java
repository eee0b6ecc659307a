package dev.parley.socketio;

import java.util.Map;
import java.util.Set;

/**
 * A snapshot of a socket returned by {@link BroadcastOperator#fetchSockets()}, possibly held by
 * another server of a cluster. Its methods act on the live socket wherever it is.
 */
public final class RemoteSocket {
  private final Namespace namespace;
  private final String id;
  private final Handshake handshake;
  private final Set<String> rooms;
  private final Map<String, Object> data;

  RemoteSocket(Namespace namespace, String id, Handshake handshake, Set<String> rooms, Map<String, Object> data) {
    this.namespace = namespace;
    this.id = id;
    this.handshake = handshake;
    this.rooms = Set.copyOf(rooms);
    this.data = Map.copyOf(data);
  }

  /**
   * A socket that another server of a cluster holds, as a cluster adapter learned of it: its
   * methods reach it through the adapter like any other operation on {@code namespace}.
   */
  public static RemoteSocket of(Namespace namespace, String id, Handshake handshake, Set<String> rooms,
      Map<String, Object> data) {
    return new RemoteSocket(namespace, id, handshake, rooms, data);
  }

  /** The socket's id. */
  public String id() {
    return id;
  }

  /** What the socket presented when it connected. */
  public Handshake handshake() {
    return handshake;
  }

  /** The rooms it was in when fetched. */
  public Set<String> rooms() {
    return rooms;
  }

  /** Its data when fetched. */
  public Map<String, Object> data() {
    return data;
  }

  /** Sends it an event. */
  public void emit(String event, Object... args) {
    namespace.to(id).emit(event, args);
  }

  /** Makes it join rooms. */
  public void join(String... rooms) {
    namespace.in(id).socketsJoin(rooms);
  }

  /** Makes it leave rooms. */
  public void leave(String... rooms) {
    namespace.in(id).socketsLeave(rooms);
  }

  /** Disconnects it; with {@code close}, its whole connection too. */
  public void disconnect(boolean close) {
    namespace.in(id).disconnectSockets(close);
  }

  @Override
  public String toString() {
    return "RemoteSocket[" + namespace.name() + " " + id + "]";
  }
}
