package dev.parley.server.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.server.chat.Membership;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.User;
import java.util.Locale;

/** The JSON shapes of docs/protocol.md. */
final class Dto {
  private Dto() {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record UserDto(String id, String name, Boolean online) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RoomDto(String id, String name, String kind, String topic, long lastSeq, int memberCount,
      Boolean joined, Long unread, Long lastReadSeq, UserDto peer) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MessageDto(String id, String roomId, long seq, long ts, UserDto user, String text, String clientMsgId,
      String kind) {}

  static UserDto user(User user) {
    return new UserDto(Long.toString(user.id()), user.name(), null);
  }

  static UserDto user(User user, boolean online) {
    return new UserDto(Long.toString(user.id()), user.name(), online);
  }

  static RoomDto room(Room room, Boolean joined) {
    return new RoomDto(Long.toString(room.id()), room.name(), kind(room), room.topic(), room.lastSeq(),
        room.memberCount(), joined, null, null, null);
  }

  static RoomDto room(Membership m) {
    Room room = m.room();
    return new RoomDto(Long.toString(room.id()), room.name(), kind(room), room.topic(), room.lastSeq(),
        room.memberCount(), true, m.unread(), m.lastReadSeq(), m.peer().map(Dto::user).orElse(null));
  }

  static MessageDto message(Message m) {
    return new MessageDto(Long.toString(m.id()), Long.toString(m.roomId()), m.seq(), m.ts(), user(m.user()),
        m.text(), m.clientMsgId().orElse(null), m.kind().name().toLowerCase(Locale.ROOT));
  }

  private static String kind(Room room) {
    return room.kind().name().toLowerCase(Locale.ROOT);
  }
}
