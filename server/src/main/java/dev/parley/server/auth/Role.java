package dev.parley.server.auth;

/** What a user may do on the whole server. Room roles (owner, moderator) are separate. */
public enum Role {
  /** Everyone who registers. */
  USER,
  /** Runs the server. */
  ADMIN
}
