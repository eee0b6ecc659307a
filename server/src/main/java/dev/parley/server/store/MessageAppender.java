package dev.parley.server.store;

import dev.parley.server.chat.Message;
import dev.parley.server.chat.NewMessage;
import dev.parley.server.chat.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group commit: stores a batch of messages in one transaction. Within it, sends that were
 * stored before (the same user and client message id, in an earlier batch or earlier in this
 * one) are answered with the stored message; each room then reserves one seq range with a single
 * update of its {@code last_seq}; the new messages go in as one JDBC batch; and each sender's
 * read position moves to its own newest message. All of it commits or none of it does, so a
 * failed batch leaves no message and no hole in any room's seqs.
 *
 * <p>Message ids come from the one row of {@code message_clock}, which the batch locks until it
 * commits: ids are dense and increase in commit order across every node sharing the database. The
 * clock is taken before any room, and rooms in ascending id order, so batches never deadlock.
 */
final class MessageAppender {
  private static final Logger log = LoggerFactory.getLogger(MessageAppender.class);

  static final String FIND_SENT = "SELECT " + Rows.MESSAGE_COLUMNS
      + " FROM messages m JOIN users u ON u.id = m.user_id WHERE ";
  static final String FIND_SENT_TERM = "(m.user_id = ? AND m.client_msg_id = ?)";
  /** Sends looked up per query: few round trips, and far below every engine's parameter limit. */
  static final int SENDS_PER_LOOKUP = 100;

  static final String RESERVE_IDS = "UPDATE message_clock SET last_id = last_id + ? WHERE id = 1 RETURNING last_id";
  static final String LAST_ID = "SELECT last_id FROM message_clock WHERE id = 1";
  static final String RESERVE_SEQS = "UPDATE rooms SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq";
  static final String INSERT = "INSERT INTO messages"
      + " (id, room_id, seq, user_id, client_msg_id, text, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  static final String MOVE_READ_POSITION = "UPDATE memberships SET last_read_seq = ?"
      + " WHERE room_id = ? AND user_id = ? AND last_read_seq < ?";

  /** Tries per batch when the engine reports a conflict that running it again settles. */
  static final int ATTEMPTS = 3;

  /** One send: a retry carries the same pair. */
  private record Send(long userId, String clientMsgId) {
    static Optional<Send> of(NewMessage message) {
      return message.clientMsgId().map(id -> new Send(message.user().id(), id));
    }
  }

  private record RoomUser(long roomId, long userId) {}

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final Clock clock;

  MessageAppender(Jdbc jdbc, Dialect dialect, Clock clock) {
    this.jdbc = jdbc;
    this.dialect = dialect;
    this.clock = clock;
  }

  /**
   * Stores the batch (see the class comment).
   *
   * @throws IllegalArgumentException if a message holds U+0000, which PostgreSQL cannot store
   */
  List<Message> append(List<NewMessage> batch) {
    Objects.requireNonNull(batch, "messages");
    batch.forEach(MessageAppender::checkComplete);
    if (batch.isEmpty()) {
      return List.of();
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbc.write("store " + batch.size() + " message(s)", connection -> appendOnce(connection, batch));
      } catch (StoreException e) {
        if (attempt < ATTEMPTS && e.getCause() instanceof SQLException cause && dialect.retryableAppend(cause)) {
          log.info("Storing a batch of {} message(s) again (attempt {}) after: {}", batch.size(), attempt + 1,
              Jdbc.describe(cause));
          continue;
        }
        throw e;
      }
    }
  }

  private List<Message> appendOnce(Connection connection, List<NewMessage> batch) throws SQLException {
    Message[] result = new Message[batch.size()];
    Map<Send, Message> sentBefore = findSent(connection, batch);
    Map<Send, Integer> firstInBatch = new HashMap<>();
    int[] sameAs = new int[batch.size()];
    Arrays.fill(sameAs, -1);
    List<Integer> fresh = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Optional<Send> send = Send.of(batch.get(i));
      if (send.isPresent()) {
        Message before = sentBefore.get(send.get());
        if (before != null) {
          result[i] = before;
          continue;
        }
        Integer first = firstInBatch.putIfAbsent(send.get(), i);
        if (first != null) {
          sameAs[i] = first;
          continue;
        }
      }
      fresh.add(i);
    }
    if (!fresh.isEmpty()) {
      long nextId = reserveIds(connection, fresh.size());
      Map<Long, Long> nextSeq = reserveSeqs(connection, batch, fresh);
      long now = clock.millis();
      for (int i : fresh) {
        NewMessage message = batch.get(i);
        long seq = nextSeq.merge(message.roomId(), 1L, Long::sum) - 1;
        result[i] = new Message(nextId++, message.roomId(), seq, now, message.user(), message.text(),
            message.clientMsgId(), message.kind());
      }
      insert(connection, fresh, result);
      moveReadPositions(connection, fresh, result);
    }
    for (int i = 0; i < batch.size(); i++) {
      if (sameAs[i] >= 0) {
        result[i] = result[sameAs[i]];
      }
    }
    return List.of(result);
  }

  /** Takes {@code count} message ids; returns the first. */
  private static long reserveIds(Connection connection, int count) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(RESERVE_IDS)) {
      statement.setLong(1, count);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new StoreException("the message clock is missing: the schema is incomplete");
        }
        return rows.getLong(1) - count + 1;
      }
    }
  }

  /** The messages already stored for the batch's sends. */
  private static Map<Send, Message> findSent(Connection connection, List<NewMessage> batch) throws SQLException {
    List<Send> sends = batch.stream().map(Send::of).flatMap(Optional::stream).distinct().toList();
    Map<Send, Message> found = new HashMap<>();
    for (int from = 0; from < sends.size(); from += SENDS_PER_LOOKUP) {
      List<Send> chunk = sends.subList(from, Math.min(sends.size(), from + SENDS_PER_LOOKUP));
      String sql = FIND_SENT + String.join(" OR ", Collections.nCopies(chunk.size(), FIND_SENT_TERM));
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int p = 1;
        for (Send send : chunk) {
          statement.setLong(p++, send.userId());
          statement.setString(p++, send.clientMsgId());
        }
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            Message message = Rows.message(rows);
            found.put(new Send(message.user().id(), message.clientMsgId().orElseThrow()), message);
          }
        }
      }
    }
    return found;
  }

  /**
   * Takes the next seqs of each room for the new messages; returns the first seq of each room.
   * Rooms are updated in ascending id order, the same order on every node, so two batches that
   * share rooms wait for each other instead of deadlocking.
   */
  private static Map<Long, Long> reserveSeqs(Connection connection, List<NewMessage> batch, List<Integer> fresh)
      throws SQLException {
    Map<Long, Long> countByRoom = new TreeMap<>();
    for (int i : fresh) {
      countByRoom.merge(batch.get(i).roomId(), 1L, Long::sum);
    }
    Map<Long, Long> firstSeq = new LinkedHashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(RESERVE_SEQS)) {
      for (Map.Entry<Long, Long> room : countByRoom.entrySet()) {
        statement.setLong(1, room.getValue());
        statement.setLong(2, room.getKey());
        try (ResultSet rows = statement.executeQuery()) {
          if (!rows.next()) {
            throw new StoreException("could not store " + batch.size() + " message(s): there is no room with id "
                + room.getKey() + "; nothing was stored");
          }
          firstSeq.put(room.getKey(), rows.getLong(1) - room.getValue() + 1);
        }
      }
    }
    return firstSeq;
  }

  private static void insert(Connection connection, List<Integer> fresh, Message[] result) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      for (int i : fresh) {
        Message message = result[i];
        Jdbc.bind(statement, message.id(), message.roomId(), message.seq(), message.user().id(),
            message.clientMsgId(), message.text(), Rows.code(message.kind()), message.ts());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** Moves each sender's read position to its newest message of the batch in each room. */
  private static void moveReadPositions(Connection connection, List<Integer> fresh, Message[] result)
      throws SQLException {
    Map<RoomUser, Long> newest = new LinkedHashMap<>();
    for (int i : fresh) {
      newest.merge(new RoomUser(result[i].roomId(), result[i].user().id()), result[i].seq(), Math::max);
    }
    try (PreparedStatement statement = connection.prepareStatement(MOVE_READ_POSITION)) {
      for (Map.Entry<RoomUser, Long> position : newest.entrySet()) {
        Jdbc.bind(statement, position.getValue(), position.getKey().roomId(), position.getKey().userId(),
            position.getValue());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  private static void checkComplete(NewMessage message) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(message.user(), "user");
    Objects.requireNonNull(message.text(), "text");
    Objects.requireNonNull(message.clientMsgId(), "clientMsgId");
    Objects.requireNonNull(message.kind(), "kind");
    // PostgreSQL's text type cannot hold U+0000 and would fail the whole batch; refuse it here,
    // in every dialect alike, before anything is written. Callers should refuse it earlier still.
    if (message.text().indexOf('\0') >= 0 || message.clientMsgId().filter(id -> id.indexOf('\0') >= 0).isPresent()) {
      throw new IllegalArgumentException("a message must not contain the character U+0000 (NUL)");
    }
  }
}
