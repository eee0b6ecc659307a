package dev.parley.socketio;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What a socket leaves behind when its connection drops, for a client that comes back.
 *
 * @param sid the socket's id
 * @param pid the private id the client presents to recover it
 * @param rooms the rooms it was in, its own included
 * @param data its {@link Socket#data()}
 * @param disconnectedAt when the connection dropped
 */
public record PersistedSession(String sid, String pid, Set<String> rooms, Map<String, Object> data,
    Instant disconnectedAt) {
  public PersistedSession {
    rooms = Set.copyOf(rooms);
    data = Map.copyOf(data);
  }
}
