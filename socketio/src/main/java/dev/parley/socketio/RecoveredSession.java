package dev.parley.socketio;

import java.util.List;

/**
 * A session given back to a reconnecting client.
 *
 * @param session the session as it was persisted
 * @param missed the packets sent to it since the offset the client presented, in order
 * @param upTo the offset up to which {@code missed} is complete: the server then asks the store
 *     for what came {@link SessionStore#since since} it; null when the store cannot tell, and
 *     then it is not asked.
 */
public record RecoveredSession(PersistedSession session, List<StoredPacket> missed, String upTo) {
  public RecoveredSession {
    missed = List.copyOf(missed);
  }

  /** A session with no {@link #upTo}. */
  public RecoveredSession(PersistedSession session, List<StoredPacket> missed) {
    this(session, missed, null);
  }
}
