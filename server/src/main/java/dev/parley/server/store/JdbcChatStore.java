package dev.parley.server.store;

import static dev.parley.server.store.Jdbc.first;
import static dev.parley.server.store.Jdbc.list;
import static dev.parley.server.store.Jdbc.update;

import dev.parley.server.chat.ChatStore;
import dev.parley.server.chat.Member;
import dev.parley.server.chat.Membership;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.NewMessage;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.RoomRole;
import dev.parley.server.chat.SocketSession;
import dev.parley.server.chat.StoreException;
import dev.parley.server.chat.User;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ChatStore} on a JDBC {@link Database}, SQLite or PostgreSQL. Thread-safe: it holds
 * no mutable state; each call takes a pooled connection for its duration.
 *
 * <p>Rooms and users are named case-insensitively through a {@code name_lower} column computed
 * here, so both engines compare names the same way; only public rooms' names are unique. The
 * room {@code general} (id 1) comes with the first migration.
 *
 * <p>Changes that must keep a room with an owner (removing a member, setting a role) first lock the
 * room's row with an update that changes nothing, so that two of them on one room run one after
 * the other on PostgreSQL too (SQLite has one writer anyway). The message appender locks room
 * rows before membership rows as well, so the two never wait for each other in a circle.
 */
public final class JdbcChatStore implements ChatStore {
  // ---- users
  private static final String USER_BY_ID = "SELECT " + Rows.USER_COLUMNS + " FROM users u WHERE u.id = ?";
  private static final String USERS_BY_ID = "SELECT " + Rows.USER_COLUMNS + " FROM users u WHERE u.id IN ";
  private static final String USER_BY_NAME = "SELECT " + Rows.USER_COLUMNS + " FROM users u WHERE u.name_lower = ?";
  private static final String INSERT_USER = "INSERT INTO users (id, name, name_lower, kind, key_hash, created_at)"
      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String KEY_HASH = "SELECT key_hash FROM users WHERE id = ?";

  // ---- rooms
  private static final String ROOM_BY_ID = "SELECT " + Rows.ROOM_COLUMNS + " FROM rooms r WHERE r.id = ?";
  private static final String PUBLIC_ROOM_BY_NAME = "SELECT " + Rows.ROOM_COLUMNS
      + " FROM rooms r WHERE r.kind = 'public' AND r.name_lower = ?";
  private static final String PUBLIC_ROOMS = "SELECT " + Rows.ROOM_COLUMNS
      + " FROM rooms r WHERE r.kind = 'public' ORDER BY r.name_lower";
  private static final String PRIVATE_ROOMS = "SELECT " + Rows.ROOM_COLUMNS
      + " FROM rooms r WHERE r.kind = 'private' ORDER BY r.name_lower, r.id";
  private static final String DM_ROOM = "SELECT " + Rows.ROOM_COLUMNS + " FROM rooms r WHERE r.dm_key = ?";
  private static final String INSERT_ROOM = "INSERT INTO rooms"
      + " (id, name, name_lower, kind, topic, dm_key, last_seq, created_by, created_at)"
      + " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING";

  // ---- membership
  /** A new member has read what was there before it joined. */
  private static final String INSERT_MEMBER = "INSERT INTO memberships (room_id, user_id, role, last_read_seq, joined_at)"
      + " SELECT r.id, ?, 'member', r.last_seq, ? FROM rooms r WHERE r.id = ? ON CONFLICT DO NOTHING";
  private static final String INSERT_OWNER = "INSERT INTO memberships (room_id, user_id, role, last_read_seq, joined_at)"
      + " VALUES (?, ?, 'owner', 0, ?)";
  private static final String DELETE_MEMBER = "DELETE FROM memberships WHERE room_id = ? AND user_id = ?";
  private static final String IS_MEMBER = "SELECT 1 FROM memberships WHERE room_id = ? AND user_id = ?";
  private static final String MEMBERS = "SELECT " + Rows.USER_COLUMNS
      + " FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.name_lower";
  private static final String MEMBERSHIPS = "SELECT " + Rows.ROOM_COLUMNS + ", m.last_read_seq, m.role"
      + " FROM memberships m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ? ORDER BY r.id";
  private static final String ROSTER = "SELECT " + Rows.USER_COLUMNS + ", m.role"
      + " FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.name_lower";
  private static final String ROLE = "SELECT role FROM memberships WHERE room_id = ? AND user_id = ?";
  private static final String SET_ROLE = "UPDATE memberships SET role = ? WHERE room_id = ? AND user_id = ?";
  private static final String OWNERS = "SELECT COUNT(*) FROM memberships WHERE room_id = ? AND role = 'owner'";
  /** Who takes over from a room's last owner: moderators first, then the longest in the room. */
  private static final String SUCCESSOR = "SELECT " + Rows.USER_COLUMNS
      + " FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.room_id = ?"
      + " ORDER BY CASE m.role WHEN 'moderator' THEN 0 ELSE 1 END, m.joined_at, m.user_id LIMIT 1";
  /** Changes nothing; takes the room row's lock until the transaction ends. */
  private static final String LOCK_ROOM = "UPDATE rooms SET last_seq = last_seq WHERE id = ?";

  // ---- messages: both walk the index messages_room_seq from a seq and stop after the page
  /** The newest messages below a seq, newest first. Parameters: room, below, limit. */
  static final String PAGE_BACKWARD = "SELECT " + Rows.MESSAGE_COLUMNS
      + " FROM messages m JOIN users u ON u.id = m.user_id"
      + " WHERE m.room_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?";
  /** The oldest messages between two seqs, oldest first. Parameters: room, above, below, limit. */
  static final String PAGE_FORWARD = "SELECT " + Rows.MESSAGE_COLUMNS
      + " FROM messages m JOIN users u ON u.id = m.user_id"
      + " WHERE m.room_id = ? AND m.seq > ? AND m.seq < ? ORDER BY m.seq LIMIT ?";
  private static final String LAST_SEQS = "SELECT id, last_seq FROM rooms WHERE id IN ";
  /** Walks the primary key from an id. Parameters: above, limit. */
  private static final String MESSAGES_AFTER = "SELECT " + Rows.MESSAGE_COLUMNS
      + " FROM messages m JOIN users u ON u.id = m.user_id WHERE m.id > ? ORDER BY m.id LIMIT ?";

  // ---- socket sessions
  private static final String DELETE_SOCKET = "DELETE FROM socket_sessions WHERE pid = ?";
  private static final String INSERT_SOCKET = "INSERT INTO socket_sessions"
      + " (pid, sid, user_id, node_id, credential, connected_at, disconnected_at) VALUES (?, ?, ?, ?, ?, ?, NULL)";
  private static final String DROP_SOCKET = "UPDATE socket_sessions SET disconnected_at = ? WHERE pid = ?";
  private static final String SOCKET_BY_PID = "SELECT pid, sid, user_id, node_id, credential, connected_at, disconnected_at"
      + " FROM socket_sessions WHERE pid = ?";
  private static final String DROP_NODE_SOCKETS = "UPDATE socket_sessions SET disconnected_at = ?"
      + " WHERE node_id = ? AND disconnected_at IS NULL";
  private static final String EXPIRE_SOCKETS = "DELETE FROM socket_sessions WHERE disconnected_at < ?";
  private static final int IDS_PER_QUERY = 500;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final IdGenerator ids;
  private final Clock clock;
  private final MessageAppender appender;

  public JdbcChatStore(Database database, IdGenerator ids) {
    this(database, ids, Clock.systemUTC());
  }

  public JdbcChatStore(Database database, IdGenerator ids, Clock clock) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.appender = new MessageAppender(jdbc, dialect, clock);
  }

  // ---- users -----------------------------------------------------------------------------------

  @Override
  public Optional<User> userByName(String name) {
    return jdbc.read("find the user '" + name + "'", c -> first(c, USER_BY_NAME, Rows::user, Rows.lower(name)));
  }

  @Override
  public Optional<User> user(long id) {
    return jdbc.read("find the user " + id, c -> first(c, USER_BY_ID, Rows::user, id));
  }

  @Override
  public User createUser(String name, User.Kind kind, Optional<String> keyHash) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(keyHash, "keyHash");
    User user = new User(ids.next(), name, kind);
    int inserted = jdbc.write("create the user '" + name + "'", c -> update(c, INSERT_USER,
        user.id(), name, Rows.lower(name), Rows.code(kind), keyHash, clock.millis()));
    if (inserted == 0) {
      throw new StoreException.Conflict("the name '" + name + "' is taken");
    }
    return user;
  }

  @Override
  public Optional<String> userKeyHash(long userId) {
    return jdbc.read("read the key of user " + userId,
        c -> first(c, KEY_HASH, row -> Optional.ofNullable(row.getString(1)), userId)).flatMap(hash -> hash);
  }

  // ---- rooms -----------------------------------------------------------------------------------

  @Override
  public Optional<Room> room(long id) {
    return jdbc.read("find the room " + id, c -> first(c, ROOM_BY_ID, Rows::room, id));
  }

  @Override
  public Optional<Room> publicRoomByName(String name) {
    return jdbc.read("find the room '" + name + "'",
        c -> first(c, PUBLIC_ROOM_BY_NAME, Rows::room, Rows.lower(name)));
  }

  @Override
  public List<Room> publicRooms() {
    return jdbc.read("list the public rooms", c -> list(c, PUBLIC_ROOMS, Rows::room));
  }

  @Override
  public Room createPublicRoom(String name, String topic, long createdBy) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    long id = ids.next();
    int inserted = jdbc.write("create the room '" + name + "'", c -> update(c, INSERT_ROOM,
        id, name, Rows.lower(name), Rows.code(Room.Kind.PUBLIC), topic, null, createdBy, clock.millis()));
    if (inserted == 0) {
      throw new StoreException.Conflict("a room named '" + name + "' exists already");
    }
    return new Room(id, name, Room.Kind.PUBLIC, topic, 0, 0);
  }

  @Override
  public Room createRoom(String name, Room.Kind kind, String topic, long ownerId) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    if (kind != Room.Kind.PUBLIC && kind != Room.Kind.PRIVATE) {
      throw new IllegalArgumentException("createRoom makes public or private rooms, not " + kind);
    }
    long id = ids.next();
    return jdbc.write("create the room '" + name + "'", c -> {
      long now = clock.millis();
      if (update(c, INSERT_ROOM, id, name, Rows.lower(name), Rows.code(kind), topic, null, ownerId, now) == 0) {
        throw new StoreException.Conflict("a room named '" + name + "' exists already");
      }
      update(c, INSERT_OWNER, id, ownerId, now);
      return new Room(id, name, kind, topic, 0, 1);
    });
  }

  @Override
  public List<Room> privateRooms() {
    return jdbc.read("list the private rooms", c -> list(c, PRIVATE_ROOMS, Rows::room));
  }

  /**
   * Race-safe: the DM's key is unique, so of two concurrent first calls one inserts the room and
   * the other finds it. Both users are (again) members afterwards.
   */
  @Override
  public Room dmRoom(long userA, long userB) {
    if (userA == userB) {
      throw new IllegalArgumentException("a DM needs two different users, got " + userA + " twice");
    }
    String key = Math.min(userA, userB) + ":" + Math.max(userA, userB);
    Optional<Room> existing = jdbc.read("find the DM " + key, c -> first(c, DM_ROOM, Rows::room, key));
    if (existing.isPresent() && existing.get().memberCount() == 2) {
      return existing.get();
    }
    long id = ids.next();
    return jdbc.write("open the DM " + key, c -> {
      long now = clock.millis();
      update(c, INSERT_ROOM, id, "dm:" + key, null, Rows.code(Room.Kind.DM), "", key, userA, now);
      long roomId = first(c, DM_ROOM, Rows::room, key).orElseThrow().id();
      update(c, INSERT_MEMBER, userA, now, roomId);
      update(c, INSERT_MEMBER, userB, now, roomId);
      return first(c, ROOM_BY_ID, Rows::room, roomId).orElseThrow();
    });
  }

  // ---- membership ------------------------------------------------------------------------------

  @Override
  public boolean addMember(long roomId, long userId) {
    return jdbc.write("add user " + userId + " to room " + roomId, c -> {
      if (update(c, INSERT_MEMBER, userId, clock.millis(), roomId) == 1) {
        return true;
      }
      if (first(c, ROOM_BY_ID, Rows::room, roomId).isEmpty()) {
        throw new StoreException("could not add user " + userId + " to room " + roomId + ": there is no such room");
      }
      return false;
    });
  }

  @Override
  public boolean removeMember(long roomId, long userId) {
    return jdbc.write("remove user " + userId + " from room " + roomId,
        c -> update(c, DELETE_MEMBER, roomId, userId) == 1);
  }

  @Override
  public boolean isMember(long roomId, long userId) {
    return jdbc.read("check membership of user " + userId + " in room " + roomId,
        c -> first(c, IS_MEMBER, row -> true, roomId, userId).isPresent());
  }

  @Override
  public List<User> members(long roomId) {
    return jdbc.read("list the members of room " + roomId, c -> list(c, MEMBERS, Rows::user, roomId));
  }

  @Override
  public List<Member> roster(long roomId) {
    return jdbc.read("list the members of room " + roomId, c -> list(c, ROSTER,
        row -> new Member(Rows.user(row), Rows.parse(RoomRole.class, row.getString("role"))), roomId));
  }

  @Override
  public Optional<RoomRole> role(long roomId, long userId) {
    return jdbc.read("read the role of user " + userId + " in room " + roomId, c -> role(c, roomId, userId));
  }

  private static Optional<RoomRole> role(Connection c, long roomId, long userId) throws SQLException {
    return first(c, ROLE, row -> Rows.parse(RoomRole.class, row.getString(1)), roomId, userId);
  }

  @Override
  public Optional<Removal> removeMemberKeepingOwner(long roomId, long userId) {
    return jdbc.write("remove user " + userId + " from room " + roomId, c -> {
      update(c, LOCK_ROOM, roomId);
      Optional<RoomRole> role = role(c, roomId, userId);
      if (role.isEmpty()) {
        return Optional.<Removal>empty();
      }
      update(c, DELETE_MEMBER, roomId, userId);
      Optional<User> successor = Optional.empty();
      if (role.get() == RoomRole.OWNER && owners(c, roomId) == 0) {
        successor = first(c, SUCCESSOR, Rows::user, roomId);
        if (successor.isPresent()) {
          update(c, SET_ROLE, Rows.code(RoomRole.OWNER), roomId, successor.get().id());
        }
      }
      return Optional.of(new Removal(role.get(), successor));
    });
  }

  @Override
  public RoleChange setRole(long roomId, long userId, RoomRole role) {
    Objects.requireNonNull(role, "role");
    return jdbc.write("set the role of user " + userId + " in room " + roomId, c -> {
      update(c, LOCK_ROOM, roomId);
      Optional<RoomRole> current = role(c, roomId, userId);
      if (current.isEmpty()) {
        return RoleChange.NOT_A_MEMBER;
      }
      if (current.get() == role) {
        return RoleChange.UNCHANGED;
      }
      if (current.get() == RoomRole.OWNER && owners(c, roomId) == 1) {
        return RoleChange.LAST_OWNER;
      }
      update(c, SET_ROLE, Rows.code(role), roomId, userId);
      return RoleChange.CHANGED;
    });
  }

  private static long owners(Connection c, long roomId) throws SQLException {
    return first(c, OWNERS, row -> row.getLong(1), roomId).orElse(0L);
  }

  @Override
  public List<Membership> memberships(long userId) {
    return jdbc.read("list the rooms of user " + userId, c -> {
      record Row(Room room, long lastReadSeq, Optional<Long> peerId, RoomRole role) {}
      List<Row> rows = list(c, MEMBERSHIPS, row -> new Row(Rows.room(row), row.getLong("last_read_seq"),
          peerOf(row.getString("room_dm_key"), userId), Rows.parse(RoomRole.class, row.getString("role"))), userId);
      Map<Long, User> peers = usersById(c, rows.stream().map(Row::peerId).flatMap(Optional::stream).toList());
      List<Membership> memberships = new ArrayList<>(rows.size());
      for (Row row : rows) {
        memberships.add(new Membership(row.room(), row.lastReadSeq(), row.peerId().map(peers::get), row.role()));
      }
      return memberships;
    });
  }

  /** The other user of a DM, from its key; empty for a public room. */
  private static Optional<Long> peerOf(String dmKey, long userId) {
    if (dmKey == null) {
      return Optional.empty();
    }
    String[] pair = dmKey.split(":");
    long low = Long.parseLong(pair[0]);
    return Optional.of(low == userId ? Long.parseLong(pair[1]) : low);
  }

  private static Map<Long, User> usersById(Connection c, List<Long> ids) throws SQLException {
    List<Long> distinct = ids.stream().distinct().toList();
    Map<Long, User> users = new HashMap<>();
    for (List<Long> chunk : chunks(distinct)) {
      for (User user : list(c, USERS_BY_ID + placeholders(chunk.size()), Rows::user, chunk.toArray())) {
        users.put(user.id(), user);
      }
    }
    return users;
  }

  @Override
  public long markRead(long roomId, long userId, long seq) {
    return jdbc.write("mark room " + roomId + " read for user " + userId, c -> first(c, dialect.markReadSql(),
        row -> row.getLong(1), seq, roomId, userId).orElseThrow(() -> new StoreException(
            "could not mark room " + roomId + " read: user " + userId + " is not a member")));
  }

  // ---- messages --------------------------------------------------------------------------------

  @Override
  public List<Message> append(List<NewMessage> messages) {
    return appender.append(messages);
  }

  /** With both {@code beforeSeq} and {@code afterSeq}, the oldest messages between them. */
  @Override
  public List<Message> page(long roomId, Optional<Long> beforeSeq, Optional<Long> afterSeq, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    long below = beforeSeq.orElse(Long.MAX_VALUE);
    return jdbc.read("read messages of room " + roomId, c -> {
      if (afterSeq.isPresent()) {
        return list(c, PAGE_FORWARD, Rows::message, roomId, afterSeq.get(), below, limit);
      }
      List<Message> newestFirst = list(c, PAGE_BACKWARD, Rows::message, roomId, below, limit);
      Collections.reverse(newestFirst);
      return newestFirst;
    });
  }

  @Override
  public Map<Long, Long> lastSeqs(List<Long> roomIds) {
    List<Long> distinct = roomIds.stream().distinct().toList();
    return jdbc.read("read the last seqs of " + distinct.size() + " room(s)", c -> {
      Map<Long, Long> lastSeqs = new LinkedHashMap<>();
      for (List<Long> chunk : chunks(distinct)) {
        String sql = LAST_SEQS + placeholders(chunk.size());
        for (long[] row : list(c, sql, row -> new long[] {row.getLong(1), row.getLong(2)}, chunk.toArray())) {
          lastSeqs.put(row[0], row[1]);
        }
      }
      return lastSeqs;
    });
  }

  /** Ids in groups small enough for one {@code IN (…)} in every engine. */
  private static List<List<Long>> chunks(List<Long> ids) {
    List<List<Long>> chunks = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
      chunks.add(ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY)));
    }
    return chunks;
  }

  /** {@code (?, ?, …)} with {@code count} parameters. */
  private static String placeholders(int count) {
    return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
  }

  /** Never throws: a store that cannot answer is simply not ready. */
  @Override
  public List<Message> messagesAfter(long afterId, int limit) {
    return jdbc.read("read the messages after " + afterId, c -> list(c, MESSAGES_AFTER, Rows::message, afterId, limit));
  }

  @Override
  public long lastMessageId() {
    return jdbc.read("read the newest message id", c -> {
      try (var statement = c.prepareStatement(MessageAppender.LAST_ID); var rows = statement.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0L;
      }
    });
  }

  // ---- socket sessions -------------------------------------------------------------------------

  @Override
  public void saveSocketSessions(List<SocketSession.Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    jdbc.write("save " + changes.size() + " socket session changes", c -> {
      for (SocketSession.Change change : changes) {
        if (change instanceof SocketSession.Opened o) {
          SocketSession s = o.session();
          update(c, DELETE_SOCKET, s.pid());
          update(c, INSERT_SOCKET, s.pid(), s.sid(), s.userId(), s.nodeId(), s.credential(), s.connectedAt());
        } else if (change instanceof SocketSession.Dropped d) {
          update(c, DROP_SOCKET, d.at(), d.pid());
        } else if (change instanceof SocketSession.Ended e) {
          update(c, DELETE_SOCKET, e.pid());
        }
      }
      return null;
    });
  }

  @Override
  public Optional<SocketSession> takeSocketSession(String pid, java.util.function.IntPredicate nodeGone) {
    return jdbc.write("take the socket session", c -> {
      Optional<SocketSession> found = first(c, SOCKET_BY_PID, row -> {
        long droppedAt = row.getLong("disconnected_at");
        Optional<Long> dropped = row.wasNull() ? Optional.empty() : Optional.of(droppedAt);
        return new SocketSession(row.getString("pid"), row.getString("sid"), row.getLong("user_id"),
            row.getInt("node_id"), Optional.ofNullable(row.getString("credential")), row.getLong("connected_at"),
            dropped);
      }, pid);
      if (found.isEmpty() || found.get().disconnectedAt().isEmpty() && !nodeGone.test(found.get().nodeId())) {
        return Optional.<SocketSession>empty();
      }
      update(c, DELETE_SOCKET, pid);
      return found;
    });
  }

  @Override
  public int dropSocketSessions(int nodeId, long at) {
    return jdbc.write("mark the socket sessions of node " + nodeId + " dropped",
        c -> update(c, DROP_NODE_SOCKETS, at, nodeId));
  }

  @Override
  public int expireSocketSessions(long before) {
    return jdbc.write("delete expired socket sessions", c -> update(c, EXPIRE_SOCKETS, before));
  }

  @Override
  public boolean ping() {
    try {
      return jdbc.read("ping", c -> c.isValid(2));
    } catch (StoreException e) {
      return false;
    }
  }
}
