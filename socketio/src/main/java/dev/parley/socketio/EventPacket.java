package dev.parley.socketio;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An event to send: its name and arguments, not yet encoded. Arguments are serialized with the
 * server's Jackson mapper; {@code byte[]} and {@link java.nio.ByteBuffer} values become binary
 * attachments. May hold {@code null} arguments (sent as JSON null).
 *
 * @param event the event name
 * @param args the arguments, unmodifiable
 */
public record EventPacket(String event, List<Object> args) {
  public EventPacket {
    Objects.requireNonNull(event, "event");
    args = Collections.unmodifiableList(Arrays.asList(args.toArray()));
  }

  /** An event with these arguments. */
  public static EventPacket of(String event, Object... args) {
    return new EventPacket(event, Arrays.asList(args));
  }
}
