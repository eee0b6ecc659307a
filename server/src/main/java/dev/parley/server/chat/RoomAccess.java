package dev.parley.server.chat;

import dev.parley.server.chat.RoomPolicy.Action;
import dev.parley.server.chat.RoomPolicy.Decision;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the {@link RoomPolicy} about requests, with what it knows of rooms and roles: from memory
 * for the users seen since start (loaded from the store on first use, then kept in step with
 * every change the chat makes), from the store otherwise. Shared by {@link ChatService} and
 * {@link RoomService} so that both decide from the same facts. Thread-safe. Methods that may read
 * the store block and are called on the store executor; those named {@code …Now} read memory only
 * and may run on an event loop.
 */
final class RoomAccess {
  private final ChatStore store;
  private final RoomPolicy policy;
  /** Each loaded user's rooms and role in each. */
  private final Map<Long, Map<Long, RoomRole>> roles = new ConcurrentHashMap<>();
  /** Rooms by id; only their identity (id, name, kind), which never changes, is used from here. */
  private final Map<Long, Room> rooms = new ConcurrentHashMap<>();

  RoomAccess(ChatStore store, RoomPolicy policy) {
    this.store = store;
    this.policy = policy;
  }

  RoomPolicy policy() {
    return policy;
  }

  /** Reads a user's memberships from the store and keeps them. Blocks. */
  List<Membership> load(long userId) {
    List<Membership> list = store.memberships(userId);
    Map<Long, RoomRole> mine = new ConcurrentHashMap<>();
    for (Membership m : list) {
      mine.put(m.room().id(), m.role());
      rooms.putIfAbsent(m.room().id(), m.room());
    }
    roles.put(userId, mine);
    return list;
  }

  /** Whether a user's rooms are in memory. */
  boolean loaded(long userId) {
    return roles.containsKey(userId);
  }

  /** Drops what memory holds of a user's rooms: the next question about them reads the store. */
  void forget(long userId) {
    roles.remove(userId);
  }

  private Map<Long, RoomRole> rolesOf(long userId) {
    Map<Long, RoomRole> mine = roles.get(userId);
    if (mine == null) {
      load(userId);
      mine = roles.get(userId);
    }
    return mine;
  }

  /** A user's role in a room; empty when not a member. Blocks the first time a user is asked about. */
  Optional<RoomRole> role(long userId, long roomId) {
    return Optional.ofNullable(rolesOf(userId).get(roomId));
  }

  /** The room of this id. Blocks when it is not known yet. */
  Optional<Room> room(long roomId) {
    Room known = rooms.get(roomId);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<Room> found = store.room(roomId);
    found.ifPresent(this::remember);
    return found;
  }

  /** The room of this id if it is known, from memory. */
  Optional<Room> roomNow(long roomId) {
    return Optional.ofNullable(rooms.get(roomId));
  }

  void remember(Room room) {
    rooms.putIfAbsent(room.id(), room);
  }

  /** A user became a member, or changed role. Returns whether it is new to the user. Blocks. */
  boolean joined(long userId, long roomId, RoomRole role) {
    return rolesOf(userId).put(roomId, role) == null;
  }

  /** A user is no longer a member. */
  void left(long userId, long roomId) {
    Map<Long, RoomRole> mine = roles.get(userId);
    if (mine != null) {
      mine.remove(roomId);
    }
  }

  /** What the policy says about {@code action} in a room; {@code NOT_FOUND} for a missing room. Blocks. */
  Decision decide(User user, long roomId, Action action) {
    return room(roomId).map(room -> decide(user, room, action)).orElse(Decision.NOT_FOUND);
  }

  Decision decide(User user, Room room, Action action) {
    return policy.decide(user, room, role(user.id(), room.id()), action);
  }

  /** The room, if {@code user} may do {@code action} there; the protocol's error otherwise. Blocks. */
  Room require(User user, long roomId, Action action) {
    Room room = room(roomId).orElseThrow(() -> ChatException.notFound(RoomPolicy.NO_SUCH_ROOM));
    require(user, room, action);
    return room;
  }

  void require(User user, Room room, Action action) {
    RoomPolicy.require(decide(user, room, action), action);
  }

  /**
   * Whether the policy lets {@code user} do {@code action} in a room, from memory only: false
   * when the user or the room is not known yet. For live events, which must not wait.
   */
  boolean allowsNow(User user, long roomId, Action action) {
    Map<Long, RoomRole> mine = roles.get(user.id());
    Room room = rooms.get(roomId);
    return mine != null && room != null
        && policy.decide(user, room, Optional.ofNullable(mine.get(roomId)), action) == Decision.ALLOW;
  }

  /** The rooms a loaded user is in, from memory; empty for a user not loaded. */
  Set<Long> roomsNow(long userId) {
    Map<Long, RoomRole> mine = roles.get(userId);
    return mine == null ? Set.of() : Set.copyOf(mine.keySet());
  }
}
