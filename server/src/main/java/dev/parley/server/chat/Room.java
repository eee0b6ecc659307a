package dev.parley.server.chat;

/**
 * A place where messages are posted: a public room anyone may join, or a direct-message room of
 * exactly two members.
 *
 * @param id stable id
 * @param name display name (for a DM, a stable internal name)
 * @param kind public room or DM
 * @param topic short description, empty if none
 * @param lastSeq the seq of the newest message, 0 when empty
 * @param memberCount number of members
 */
public record Room(long id, String name, Kind kind, String topic, long lastSeq, int memberCount) {
  /** The kinds of room. */
  public enum Kind {
    PUBLIC,
    DM
  }

  /** The name of the room every user is in from the start. */
  public static final String GENERAL = "general";
}
