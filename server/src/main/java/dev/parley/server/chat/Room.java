package dev.parley.server.chat;

/**
 * A place where messages are posted: a public room anyone may join, a private room joined by
 * invitation only, or a direct-message room of exactly two members. Who may do what in each is
 * {@link RoomPolicy}'s business.
 *
 * @param id stable id
 * @param name display name (for a DM, a stable internal name); unique among public rooms only
 * @param kind public, private or DM
 * @param topic short description, empty if none
 * @param lastSeq the seq of the newest message, 0 when empty
 * @param memberCount number of members
 */
public record Room(long id, String name, Kind kind, String topic, long lastSeq, int memberCount) {
  /** The kinds of room. */
  public enum Kind {
    /** Listed for everyone; anyone may join. */
    PUBLIC,
    /** Seen only by its members (and server admins); joined by invitation. */
    PRIVATE,
    /** Two members, fixed; seen by nobody else, not even server admins. */
    DM
  }

  /** The name of the room every user is in from the start. */
  public static final String GENERAL = "general";

  /** Whether this is {@code general}, the public room every user is in. */
  public boolean isGeneral() {
    return kind == Kind.PUBLIC && GENERAL.equalsIgnoreCase(name);
  }
}
