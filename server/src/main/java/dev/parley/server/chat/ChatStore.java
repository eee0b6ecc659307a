package dev.parley.server.chat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chat's storage: users, rooms, memberships and messages. Methods block (they do database
 * work) and are called on the storage executor, never on an event loop. They throw
 * {@link StoreException} when the store cannot answer.
 */
public interface ChatStore {
  // ---- users -----------------------------------------------------------------------------------

  /** The user named {@code name}, compared case-insensitively. */
  Optional<User> userByName(String name);

  Optional<User> user(long id);

  /**
   * Creates a user; fails with {@link StoreException.Conflict} if the name is taken
   * (case-insensitively).
   *
   * @param keyHash the hash of the guest key that proves it is the same person next time, or
   *     empty for none
   */
  User createUser(String name, User.Kind kind, Optional<String> keyHash);

  /** The stored key hash of a user. */
  Optional<String> userKeyHash(long userId);

  // ---- rooms -----------------------------------------------------------------------------------

  Optional<Room> room(long id);

  /** The public room named {@code name}, compared case-insensitively. */
  Optional<Room> publicRoomByName(String name);

  /** Every public room. */
  List<Room> publicRooms();

  /** Creates a public room with no members; {@link StoreException.Conflict} if the name is taken. */
  Room createPublicRoom(String name, String topic, long createdBy);

  /**
   * Creates a public or private room with {@code ownerId} as its owner and only member, in one
   * transaction. A public room's name must be free among public rooms (case-insensitively),
   * {@link StoreException.Conflict} otherwise; private rooms may share names with any room, so
   * that creating one never tells whether a name is in use where the creator cannot see.
   */
  Room createRoom(String name, Room.Kind kind, String topic, long ownerId);

  /** Every private room (server admins list them). */
  List<Room> privateRooms();

  /** The DM room of two users, created (with both as members) if missing. */
  Room dmRoom(long userA, long userB);

  // ---- membership ------------------------------------------------------------------------------

  /** Adds a member; returns false if it was one already. */
  boolean addMember(long roomId, long userId);

  /** Removes a member; returns false if it was not one. */
  boolean removeMember(long roomId, long userId);

  boolean isMember(long roomId, long userId);

  /** The members of a room. */
  List<User> members(long roomId);

  /** The members of a room with their roles, by name. */
  List<Member> roster(long roomId);

  /** A member's role; empty when the user is not a member. */
  Optional<RoomRole> role(long roomId, long userId);

  /**
   * Removes a member. When that was the room's last owner and others remain, the one of them in
   * the room longest becomes owner, moderators before members, in the same transaction: a room
   * with members always has an owner once it had one.
   *
   * @return empty when the user was not a member
   */
  Optional<Removal> removeMemberKeepingOwner(long roomId, long userId);

  /** What {@link #removeMemberKeepingOwner} did: the role the member had, and who became owner. */
  record Removal(RoomRole role, Optional<User> newOwner) {}

  /** Sets a member's role, never taking the last owner's away. */
  RoleChange setRole(long roomId, long userId, RoomRole role);

  /** The outcome of {@link #setRole}. */
  enum RoleChange {
    CHANGED,
    /** The member had that role already. */
    UNCHANGED,
    NOT_A_MEMBER,
    /** Refused: the member is the room's only owner and would no longer be one. */
    LAST_OWNER
  }

  /** The rooms of a user with its read position. */
  List<Membership> memberships(long userId);

  /** Moves a read position forward (never back); returns the position now stored. */
  long markRead(long roomId, long userId, long seq);

  // ---- messages --------------------------------------------------------------------------------

  /**
   * Stores messages in one transaction, giving each the next seq of its room, and returns them
   * in the same order. A message whose {@code (user, clientMsgId)} was stored before is not
   * stored again: the earlier one is returned in its place. The sender's read position moves
   * to its own message.
   */
  List<Message> append(List<NewMessage> messages);

  /**
   * A page of a room's messages in ascending seq: with {@code beforeSeq}, the newest ones below
   * it; with {@code afterSeq}, the oldest ones above it; with neither, the newest.
   */
  List<Message> page(long roomId, Optional<Long> beforeSeq, Optional<Long> afterSeq, int limit);

  /** The newest seq of each of these rooms. */
  Map<Long, Long> lastSeqs(List<Long> roomIds);

  /**
   * Messages of every room with an id above {@code afterId}, in id order, at most {@code limit}.
   * Message ids are dense and grow with commit order on every node sharing the store, so these are
   * the messages committed after that one.
   */
  List<Message> messagesAfter(long afterId, int limit);

  /** The id of the newest committed message; 0 when there is none. */
  long lastMessageId();

  // ---- socket sessions (connection-state recovery across restarts) ------------------------------

  /** Applies {@code changes} in order, in one transaction. */
  void saveSocketSessions(List<SocketSession.Change> changes);

  /**
   * Removes and returns the session of {@code pid} if its connection dropped, so that it is
   * recovered at most once; a session still marked connected is left alone and not returned.
   */
  default Optional<SocketSession> takeSocketSession(String pid) {
    return takeSocketSession(pid, node -> false);
  }

  /**
   * As {@link #takeSocketSession(String)}, but a session still marked connected is taken too when
   * {@code nodeGone} says the node that held it is no longer running (it was killed, and its
   * connections with it).
   */
  Optional<SocketSession> takeSocketSession(String pid, java.util.function.IntPredicate nodeGone);

  /** Marks every session of node {@code nodeId} still marked connected as dropped at {@code at}. */
  int dropSocketSessions(int nodeId, long at);

  /** Deletes the sessions that dropped before {@code before}. */
  int expireSocketSessions(long before);

  /** Whether the store answers (for readiness). */
  boolean ping();
}
