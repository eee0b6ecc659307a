package dev.parley.server.chat;

import java.util.Optional;

/**
 * A {@code /chat} socket session kept so that its client can recover it after a restart.
 *
 * @param pid the private id the client presents to recover it
 * @param sid the socket id
 * @param userId whose socket it is
 * @param nodeId the node that held its connection
 * @param credential for an account's socket, the credential it signed in with ({@code s:<web
 *     session id>} or {@code t:<personal token id>}), to be checked again when it is recovered
 * @param connectedAt when it connected, milliseconds since the Unix epoch
 * @param disconnectedAt when its connection dropped; empty while connected
 */
public record SocketSession(String pid, String sid, long userId, int nodeId, Optional<String> credential,
    long connectedAt, Optional<Long> disconnectedAt) {

  /** A change to the kept sessions. */
  public sealed interface Change {}

  /** A socket connected: its session is kept (replacing one of the same pid). */
  public record Opened(SocketSession session) implements Change {}

  /** The connection of the session {@code pid} dropped at {@code at}. */
  public record Dropped(String pid, long at) implements Change {}

  /** The session {@code pid} ended for good. */
  public record Ended(String pid) implements Change {}
}
