package dev.parley.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.auth.Principal;
import dev.parley.server.auth.Role;
import dev.parley.server.chat.ChatStore;
import dev.parley.server.chat.Membership;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.SocketSession;
import dev.parley.server.chat.User;
import dev.parley.socketio.BroadcastOptions;
import dev.parley.socketio.EventPacket;
import dev.parley.socketio.InMemorySessionStore;
import dev.parley.socketio.PersistedSession;
import dev.parley.socketio.RecoveredSession;
import dev.parley.socketio.SessionStore;
import dev.parley.socketio.StoredPacket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection-state recovery for {@code /chat} that survives a restart. While the process runs,
 * sessions and packets are kept in memory ({@link InMemorySessionStore}) and recovery replays
 * exactly what a client missed, ephemeral events included. Each session is also kept in the
 * database from the moment its socket connects, and every offset carries the id of the newest
 * message sent before it; so a client that comes back to a restarted server (gracefully stopped
 * or killed) still recovers: it gets its socket id back and every message of its rooms committed
 * after the last one it received, read from the message table, in order, once.
 *
 * <p>Offsets are {@code <memory offset>.<message id>} for a {@code message} event (its own id)
 * and {@code <memory offset>~<message id>} for any other event (the newest message sent before
 * it), ids in base 36. On one node messages are committed, given ids and sent in one order, so
 * "the messages after id W" is exactly what follows an offset carrying W.
 *
 * <p>After a restart, only messages are replayed: typing and presence are ephemeral, rooms
 * joined meanwhile are announced by the gateway. A session is given back only with the chat rooms
 * its user still receives, and with nothing that was sent to the others: a user removed from a
 * room (or who left it from another tab) while the connection was down gets none of what was
 * said there meanwhile. A session read from the database gets the user's rooms of now anyway. A client away so long that more than
 * {@link #MAX_REPLAY} messages were committed after its offset is not recovered; it starts a new
 * session and catches up room by room with {@code sync}.
 */
public final class ChatSessionStore implements SessionStore {
  private static final Logger log = LoggerFactory.getLogger(ChatSessionStore.class);
  /** The most messages read back for one recovery after a restart. */
  static final int MAX_REPLAY = 10_000;

  private final InMemorySessionStore memory;
  private final ChatStore store;
  private final Executor executor;
  private final Duration window;
  private final int nodeId;
  private final Clock clock;
  private final String namespace;
  private final BiPredicate<User, Long> stillReceives;
  private final IntPredicate nodeGone;
  private final ObjectMapper json = new ObjectMapper();
  /** The id of the newest message sent; written under the namespace's record lock. */
  private volatile long lastMessageId;
  /**
   * Restores waiting for a message to be sent here first; changed under {@link #sentMonitor},
   * read without it, so that sending a message takes no lock while nobody waits.
   */
  private volatile int waitingForSent;
  private final Object sentMonitor = new Object();
  /** How long a restore waits for this node to send the messages a client had from another. */
  static final Duration CATCH_UP = Duration.ofSeconds(3);
  /** Session changes waiting to be written, in order; one writer task at a time. */
  private final ConcurrentLinkedQueue<SocketSession.Change> changes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();

  /**
   * A store for namespace {@code namespace} of node {@code nodeId}, doing database work on
   * {@code executor}. Blocks while it marks the sessions this node held before it stopped as
   * dropped now: they become recoverable for {@code window} from this start.
   */
  public ChatSessionStore(String namespace, ChatStore store, Executor executor, Duration window, int nodeId,
      Clock clock) {
    this(namespace, store, executor, window, nodeId, clock, (user, roomId) -> true);
  }

  /**
   * As above; a session kept in memory is recovered with only the chat rooms (by id) that
   * {@code stillReceives} says its user still receives. It must not block.
   */
  public ChatSessionStore(String namespace, ChatStore store, Executor executor, Duration window, int nodeId,
      Clock clock, BiPredicate<User, Long> stillReceives) {
    this(namespace, store, executor, window, nodeId, clock, stillReceives, node -> false);
  }

  /**
   * As above, for a node of a cluster: a session that another node held is recovered here too,
   * once dropped, or at once when {@code nodeGone} says that node is no longer running (it may
   * block briefly).
   */
  public ChatSessionStore(String namespace, ChatStore store, Executor executor, Duration window, int nodeId,
      Clock clock, BiPredicate<User, Long> stillReceives, IntPredicate nodeGone) {
    this.nodeGone = nodeGone;
    this.stillReceives = stillReceives;
    this.namespace = namespace;
    this.store = store;
    this.executor = executor;
    this.window = window;
    this.nodeId = nodeId;
    this.clock = clock;
    this.memory = new InMemorySessionStore(window, clock);
    // What was committed before this start counts as sent: clients of the earlier run read it
    // from the table.
    this.lastMessageId = store.lastMessageId();
    int dropped = store.dropSocketSessions(nodeId, clock.millis());
    if (dropped > 0) {
      log.info("{} sessions of {} connected before the restart can be recovered for {} s", dropped, namespace,
          window.toSeconds());
    }
  }

  // ---- offsets and packets -------------------------------------------------------------------------

  @Override
  public String nextOffset() {
    return memory.nextOffset() + "~" + Long.toString(lastMessageId, 36);
  }

  @Override
  public String nextOffset(EventPacket packet) {
    if ("message".equals(packet.event()) && packet.args().size() == 1
        && packet.args().get(0) instanceof Dto.MessageDto message) {
      long id = Long.parseLong(message.id());
      if (id > lastMessageId) {
        lastMessageId = id;
        if (waitingForSent > 0) {
          synchronized (sentMonitor) {
            sentMonitor.notifyAll();
          }
        }
      }
      return memory.nextOffset() + "." + Long.toString(id, 36);
    }
    return nextOffset();
  }

  @Override
  public void record(String offset, BroadcastOptions target, StoredPacket packet) {
    memory.record(Offset.parse(offset).memory(), target, packet);
  }

  // ---- sessions ------------------------------------------------------------------------------------

  @Override
  public void connected(String sid, String pid, Map<String, Object> data) {
    if (data.get(ChatGateway.USER) instanceof User user) {
      Optional<String> credential = data.get(ChatGateway.PRINCIPAL) instanceof Principal p
          ? Optional.of(ChatGateway.credentialKey(p)) : Optional.empty();
      save(new SocketSession.Opened(new SocketSession(pid, sid, user.id(), nodeId, credential, clock.millis(),
          Optional.empty())));
    }
  }

  @Override
  public void persist(PersistedSession session) {
    memory.persist(session);
    save(new SocketSession.Dropped(session.pid(), session.disconnectedAt().toEpochMilli()));
  }

  @Override
  public void discard(String pid) {
    save(new SocketSession.Ended(pid));
  }

  @Override
  public CompletionStage<Optional<RecoveredSession>> restore(String pid, String offset) {
    Offset at = Offset.parse(offset);
    if (at == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return memory.restore(pid, at.memory()).thenCompose(found -> {
      if (found.isPresent()) {
        return CompletableFuture.completedFuture(found.map(r -> withoutLostRooms(r, at)));
      }
      CompletableFuture<Optional<RecoveredSession>> result = new CompletableFuture<>();
      try {
        executor.execute(() -> {
          try {
            result.complete(restoreFromStore(pid, at.lastMessageId()));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
      } catch (RejectedExecutionException e) {
        result.complete(Optional.empty());
      }
      return result;
    });
  }

  /**
   * The recovered session without the chat rooms its user no longer receives, and its missed
   * packets without those sent to them: the packets after the client's offset are looked up
   * again for the rooms kept, up to the same offset as before.
   */
  private RecoveredSession withoutLostRooms(RecoveredSession recovered, Offset from) {
    PersistedSession session = recovered.session();
    if (!(session.data().get(ChatGateway.USER) instanceof User user) || recovered.upTo() == null) {
      return recovered;
    }
    Set<String> kept = new HashSet<>();
    for (String room : session.rooms()) {
      if (!room.startsWith("r:") || stillReceives.test(user, Long.parseLong(room.substring(2)))) {
        kept.add(room);
      }
    }
    if (kept.size() == session.rooms().size()) {
      return recovered;
    }
    long upTo = counter(recovered.upTo());
    List<StoredPacket> missed = new ArrayList<>();
    for (StoredPacket packet : memory.since(from.memory(), kept)) {
      Offset own = Offset.parse(offsetOf(packet));
      if (own != null && counter(own.memory()) <= upTo) {
        missed.add(packet);
      }
    }
    return new RecoveredSession(new PersistedSession(session.sid(), session.pid(), kept, session.data(),
        session.disconnectedAt()), missed, recovered.upTo());
  }

  /** The packet counter of an in-memory offset, {@code <epoch>-<counter>}; -1 if it has none. */
  private static long counter(String memoryOffset) {
    try {
      return Long.parseLong(memoryOffset.substring(memoryOffset.lastIndexOf('-') + 1), 36);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Recovers a session of an earlier run of the server from the database. Blocks. */
  private Optional<RecoveredSession> restoreFromStore(String pid, long afterMessageId) {
    Optional<SocketSession> kept = store.takeSocketSession(pid, nodeGone);
    if (kept.isEmpty()) {
      return Optional.empty();
    }
    SocketSession session = kept.get();
    // A session still marked connected was held by a node that was killed: it dropped just now.
    long droppedAt = session.disconnectedAt().orElse(clock.millis());
    if (droppedAt < clock.millis() - window.toMillis()) {
      return Optional.empty();
    }
    Optional<User> user = store.user(session.userId());
    if (user.isEmpty()) {
      return Optional.empty();
    }
    // A client coming from another node of a cluster may have had messages this node has not
    // sent yet: they would reach it again live. Wait (briefly) until this node has sent them.
    if (!sentUpTo(afterMessageId, CATCH_UP)) {
      log.debug("not recovering {}: this node is behind its offset", session.sid());
      return Optional.empty();
    }
    // Packets recorded from here on are given by since(); messages among them that the table
    // read below returns too are skipped there. Messages committed but not sent here yet are left
    // out of the read: they come live, or through since().
    String from = memory.lastRecordedOffset();
    long sent = lastMessageId;
    List<Membership> memberships = store.memberships(session.userId());
    List<Message> after = store.messagesAfter(afterMessageId, MAX_REPLAY + 1);
    if (after.size() > MAX_REPLAY) {
      log.debug("not recovering {}: more than {} messages after its offset", session.sid(), MAX_REPLAY);
      return Optional.empty();
    }
    after = after.stream().filter(m -> m.id() <= sent).toList();
    Set<Long> roomIds = new HashSet<>();
    Set<String> rooms = new HashSet<>();
    rooms.add(session.sid());
    rooms.add(ChatGateway.userKey(session.userId()));
    for (Membership m : memberships) {
      roomIds.add(m.room().id());
      rooms.add(ChatGateway.roomKey(m.room().id()));
    }
    List<StoredPacket> missed = new ArrayList<>();
    long newest = afterMessageId;
    for (Message m : after) {
      newest = Math.max(newest, m.id());
      if (roomIds.contains(m.roomId())) {
        missed.add(packet("message", Dto.message(m), from + "." + Long.toString(m.id(), 36)));
      }
    }
    Map<String, Object> data = new HashMap<>();
    data.put(ChatGateway.USER, user.get());
    session.credential().map(c -> principal(user.get(), c)).ifPresent(p -> data.put(ChatGateway.PRINCIPAL, p));
    PersistedSession restored = new PersistedSession(session.sid(), pid, rooms, data, Instant.ofEpochMilli(droppedAt));
    return Optional.of(new RecoveredSession(restored, missed, from + "." + Long.toString(newest, 36)));
  }

  /** Waits at most {@code max} until message {@code id} has been sent here; whether it has. Blocks. */
  private boolean sentUpTo(long id, Duration max) {
    if (lastMessageId >= id) {
      return true;
    }
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (sentMonitor) {
      waitingForSent++;
      try {
        while (lastMessageId < id) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          sentMonitor.wait(Math.max(1, left / 1_000_000));
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        waitingForSent--;
      }
    }
  }

  /**
   * The principal a kept credential stands for. Its role is a placeholder: the gateway checks
   * the credential again when the socket is recovered and takes the account's current role.
   */
  private static Principal principal(User user, String credential) {
    boolean token = credential.startsWith("t:");
    return new Principal(user.id(), user.name(), Role.USER,
        token ? Principal.Via.PERSONAL_TOKEN : Principal.Via.SESSION, credential.substring(2));
  }

  @Override
  public List<StoredPacket> since(String offset, Set<String> rooms) {
    Offset at = Offset.parse(offset);
    if (at == null) {
      // The memory store's own upTo, from a restore made in memory: nothing to filter.
      return memory.since(offset, rooms);
    }
    List<StoredPacket> recorded = memory.since(at.memory(), rooms);
    if (!at.message()) {
      return recorded;
    }
    // After a restore from the table: messages it already gave are not given again.
    List<StoredPacket> fresh = new ArrayList<>(recorded.size());
    for (StoredPacket packet : recorded) {
      Offset own = Offset.parse(offsetOf(packet));
      if (own == null || !own.message() || own.lastMessageId() > at.lastMessageId()) {
        fresh.add(packet);
      }
    }
    return fresh;
  }

  /** Deletes the kept sessions whose window has passed. Blocks. */
  public void expire() {
    int gone = store.expireSocketSessions(clock.millis() - window.toMillis());
    if (gone > 0) {
      log.debug("{} recoverable sessions of {} expired", gone, namespace);
    }
  }

  // ---- writing session changes -------------------------------------------------------------------------

  private void save(SocketSession.Change change) {
    changes.add(change);
    if (writing.compareAndSet(false, true)) {
      try {
        executor.execute(this::write);
      } catch (RejectedExecutionException e) {
        // Stopping: the next start marks every session still marked connected as dropped.
        writing.set(false);
      }
    }
  }

  private void write() {
    try {
      List<SocketSession.Change> batch = new ArrayList<>();
      for (SocketSession.Change c; batch.size() < 1000 && (c = changes.poll()) != null; ) {
        batch.add(c);
      }
      store.saveSocketSessions(batch);
    } catch (RuntimeException e) {
      log.warn("could not save recoverable sessions of {}: {}", namespace, e.getMessage());
    } finally {
      writing.set(false);
    }
    if (!changes.isEmpty() && writing.compareAndSet(false, true)) {
      try {
        executor.execute(this::write);
      } catch (RejectedExecutionException e) {
        writing.set(false);
      }
    }
  }

  // ---- encoding ------------------------------------------------------------------------------------

  /** The Socket.IO text of an event packet of this namespace with a recovery offset. */
  private StoredPacket packet(String event, Object arg, String offset) {
    try {
      String args = json.writeValueAsString(List.of(event, arg, offset));
      String prefix = "/".equals(namespace) ? "2" : "2" + namespace + ",";
      return new StoredPacket(prefix + args, List.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a " + event + " event", e);
    }
  }

  /** The offset a recorded packet carries: the last element of its array, a plain string. */
  private static String offsetOf(StoredPacket packet) {
    String text = packet.text();
    int end = text.length() - 2;
    if (end < 1 || !text.endsWith("\"]")) {
      return "";
    }
    int start = text.lastIndexOf('"', end - 1);
    return start < 0 ? "" : text.substring(start + 1, end);
  }

  /**
   * A parsed offset.
   *
   * @param memory the in-memory store's part
   * @param message whether it is the offset of a message event
   * @param lastMessageId that message's id, or the newest message's before it
   */
  record Offset(String memory, boolean message, long lastMessageId) {
    /** Parses an offset this store made; null for anything else. */
    static Offset parse(String offset) {
      int dot = Math.max(offset.lastIndexOf('.'), offset.lastIndexOf('~'));
      if (dot <= 0 || dot == offset.length() - 1 || offset.length() > 64) {
        return null;
      }
      try {
        long id = Long.parseLong(offset.substring(dot + 1), 36);
        return id < 0 ? null : new Offset(offset.substring(0, dot), offset.charAt(dot) == '.', id);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
