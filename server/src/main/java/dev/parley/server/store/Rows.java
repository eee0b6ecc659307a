package dev.parley.server.store;

import dev.parley.server.chat.Message;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.StoreException;
import dev.parley.server.chat.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/** The column lists the store selects and how their rows become domain values. */
final class Rows {
  /** A user, from {@code users u}. */
  static final String USER_COLUMNS = "u.id AS user_id, u.name AS user_name, u.kind AS user_kind";

  /** A room and its member count, from {@code rooms r}. */
  static final String ROOM_COLUMNS = "r.id AS room_id, r.name AS room_name, r.kind AS room_kind,"
      + " r.topic AS room_topic, r.last_seq AS room_last_seq, r.dm_key AS room_dm_key,"
      + " (SELECT COUNT(*) FROM memberships c WHERE c.room_id = r.id) AS room_member_count";

  /** A message and its author, from {@code messages m JOIN users u ON u.id = m.user_id}. */
  static final String MESSAGE_COLUMNS = "m.id AS msg_id, m.room_id AS msg_room_id, m.seq AS msg_seq,"
      + " m.created_at AS msg_created_at, m.text AS msg_text, m.client_msg_id AS msg_client_msg_id,"
      + " m.kind AS msg_kind, " + USER_COLUMNS;

  private Rows() {}

  static User user(ResultSet row) throws SQLException {
    return new User(row.getLong("user_id"), row.getString("user_name"),
        parse(User.Kind.class, row.getString("user_kind")));
  }

  static Room room(ResultSet row) throws SQLException {
    return new Room(row.getLong("room_id"), row.getString("room_name"),
        parse(Room.Kind.class, row.getString("room_kind")), row.getString("room_topic"),
        row.getLong("room_last_seq"), row.getInt("room_member_count"));
  }

  static Message message(ResultSet row) throws SQLException {
    return new Message(row.getLong("msg_id"), row.getLong("msg_room_id"), row.getLong("msg_seq"),
        row.getLong("msg_created_at"), user(row), row.getString("msg_text"),
        Optional.ofNullable(row.getString("msg_client_msg_id")),
        parse(Message.Kind.class, row.getString("msg_kind")));
  }

  /** How a kind is stored: its name in lower case. */
  static String code(Enum<?> kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  static <E extends Enum<E>> E parse(Class<E> type, String code) {
    try {
      return Enum.valueOf(type, code.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new StoreException("the database holds an unknown " + type.getSimpleName() + " '" + code + "'", e);
    }
  }

  /** How names compare: case-insensitively, the same way in every engine. */
  static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
