package dev.parley.socketio;

import java.util.Set;

/**
 * Which sockets of a namespace a broadcast or a server-side operation reaches.
 *
 * @param rooms sockets in any of these rooms; all sockets of the namespace when empty
 * @param except minus the sockets in any of these rooms
 * @param volatileEmit whether the event may be dropped for a client that cannot take it now
 * @param local whether to stay on this server, even in a cluster
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, boolean volatileEmit, boolean local) {
  /** Every socket of the namespace. */
  public static final BroadcastOptions ALL = new BroadcastOptions(Set.of(), Set.of(), false, false);

  public BroadcastOptions {
    rooms = Set.copyOf(rooms);
    except = Set.copyOf(except);
  }

  /** Whether a socket in {@code socketRooms} is a target. */
  public boolean matches(Set<String> socketRooms) {
    if (!rooms.isEmpty() && !intersects(rooms, socketRooms)) {
      return false;
    }
    return except.isEmpty() || !intersects(except, socketRooms);
  }

  private static boolean intersects(Set<String> a, Set<String> b) {
    Set<String> small = a.size() <= b.size() ? a : b;
    Set<String> large = small == a ? b : a;
    for (String s : small) {
      if (large.contains(s)) {
        return true;
      }
    }
    return false;
  }
}
