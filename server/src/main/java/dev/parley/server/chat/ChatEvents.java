package dev.parley.server.chat;

/**
 * Where the chat tells connected clients what happened. Implemented by the Socket.IO gateway
 * (and, in a cluster, relayed to the other nodes). Methods must not block.
 */
public interface ChatEvents {
  /** A message was committed: deliver it to the room's members. Called in seq order per room. */
  void message(Room room, Message message);

  /** A user became a member of a room: their connections should now receive it. */
  void joined(User user, Room room);

  /** A user left a room: their connections stop receiving it. */
  void left(User user, Room room);

  /**
   * A user was removed from a room by someone else ({@code reason} says why, for example
   * {@code kicked}): their connections must stop receiving it at once, before anything else is
   * sent to the room, and they are told.
   */
  void removed(User user, Room room, String reason);

  /** A room appeared for a user without them asking (a DM someone opened, an invitation). */
  void roomAdded(User user, Membership membership);

  /** A member's role changed; {@code membership} is the room as that member now sees it. */
  void roleChanged(User user, Membership membership);

  /** A user's read position in a room moved. */
  void readMoved(User user, long roomId, long unread, long lastReadSeq);
}
