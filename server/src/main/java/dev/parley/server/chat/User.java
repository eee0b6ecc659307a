package dev.parley.server.chat;

/**
 * A person who chats.
 *
 * @param id stable id
 * @param name display name, unique case-insensitively
 * @param kind how the user signed in
 */
public record User(long id, String name, Kind kind) {
  /** How a user signed in. */
  public enum Kind {
    /** Chose a name, kept across visits by a guest key. */
    GUEST,
    /** Chose a name on the tutorial namespace, with no key. */
    TUTORIAL,
    /** Registered with a password (see the auth package). */
    ACCOUNT
  }
}
