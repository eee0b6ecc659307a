package dev.parley.server.chat;

import java.util.Optional;

/**
 * A stored message or notice.
 *
 * @param id unique id
 * @param roomId the room it was posted in
 * @param seq its position in the room: gap-free and strictly increasing from 1
 * @param ts when it was stored, in milliseconds since the epoch
 * @param user who posted it
 * @param text the text exactly as sent (empty for notices)
 * @param clientMsgId the sender's id for the send, if any
 * @param kind a text message or a join/leave notice
 */
public record Message(long id, long roomId, long seq, long ts, User user, String text,
    Optional<String> clientMsgId, Kind kind) {
  /** What a message is. */
  public enum Kind {
    TEXT,
    JOIN,
    LEAVE
  }
}
