package dev.parley.server.chat;

/**
 * A user's place in a room, as seen by that user.
 *
 * @param room the room
 * @param lastReadSeq the newest seq the user has read
 * @param peer for a DM, the other member
 * @param role the user's role in the room
 */
public record Membership(Room room, long lastReadSeq, java.util.Optional<User> peer, RoomRole role) {
  /** Messages after the read position. */
  public long unread() {
    return Math.max(0, room.lastSeq() - lastReadSeq);
  }
}
