package dev.parley.socketio;

import java.util.List;

/**
 * A session given back to a reconnecting client.
 *
 * @param session the session as it was persisted
 * @param missed the packets sent to it since the offset the client presented, in order
 */
public record RecoveredSession(PersistedSession session, List<StoredPacket> missed) {
  public RecoveredSession {
    missed = List.copyOf(missed);
  }
}
