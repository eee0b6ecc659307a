package dev.parley.server.chat;

/**
 * A member's standing in a room, which decides what it may do there beyond reading and writing
 * (see {@link RoomPolicy}). Stored in lower case: {@code owner}, {@code moderator}, {@code member}.
 */
public enum RoomRole {
  /** Runs the room: invites, removes anyone but themself, sets roles. Its creator is its first owner. */
  OWNER,
  /** Keeps order: invites, and removes members (not owners, not other moderators). */
  MODERATOR,
  /** Reads and writes. */
  MEMBER
}
