package dev.parley.server.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.server.chat.Member;
import dev.parley.server.chat.Membership;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.RoomRole;
import dev.parley.server.chat.User;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON shapes of docs/protocol.md: how a user, a room and a message look on the wire. The
 * Socket.IO gateway and the HTTP API both use them, so both describe these the same way.
 */
public final class Dto {
  private Dto() {}

  /** A user; {@code role} only where the user is shown as a member of a room. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UserDto(String id, String name, Boolean online, String role) {}

  /** A room; {@code role} is the receiving user's, when a member. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RoomDto(String id, String name, String kind, String topic, long lastSeq, int memberCount,
      Boolean joined, Long unread, Long lastReadSeq, UserDto peer, String role) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MessageDto(String id, String roomId, long seq, long ts, UserDto user, String text, String clientMsgId,
      String kind) {}

  public static UserDto user(User user) {
    return new UserDto(Long.toString(user.id()), user.name(), null, null);
  }

  public static UserDto user(User user, boolean online) {
    return new UserDto(Long.toString(user.id()), user.name(), online, null);
  }

  public static UserDto member(Member member, boolean online) {
    return new UserDto(Long.toString(member.user().id()), member.user().name(), online, code(member.role()));
  }

  public static RoomDto room(Room room, Optional<RoomRole> role) {
    return new RoomDto(Long.toString(room.id()), room.name(), code(room.kind()), room.topic(), room.lastSeq(),
        room.memberCount(), role.isPresent(), null, null, null, role.map(Dto::code).orElse(null));
  }

  public static RoomDto room(Membership m) {
    Room room = m.room();
    return new RoomDto(Long.toString(room.id()), room.name(), code(room.kind()), room.topic(), room.lastSeq(),
        room.memberCount(), true, m.unread(), m.lastReadSeq(), m.peer().map(Dto::user).orElse(null),
        code(m.role()));
  }

  public static MessageDto message(Message m) {
    return new MessageDto(Long.toString(m.id()), Long.toString(m.roomId()), m.seq(), m.ts(), user(m.user()),
        m.text(), m.clientMsgId().orElse(null), code(m.kind()));
  }

  /** How kinds and roles are spelled on the wire: their names in lower case. */
  public static String code(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
