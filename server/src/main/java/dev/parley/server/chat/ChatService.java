package dev.parley.server.chat;

import dev.parley.server.chat.RoomPolicy.Action;
import dev.parley.server.chat.RoomPolicy.Decision;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The chat: who the users are, what they post and read, and (through {@link #rooms()}) the rooms
 * they are in. Whether a user may do something in a room is decided by the {@link RoomPolicy}
 * for every request and every live event. Storage work runs on {@code storeExecutor}; messages go
 * through the group-commit {@link MessageWriter}; connected clients hear about changes through
 * {@link ChatEvents}. Thread-safe; never blocks the caller.
 */
public final class ChatService {
  /** A guest's identity and the key that proves it next time. */
  public record GuestLogin(User user, String guestKey) {}

  /** A page of history. */
  public record Page(List<Message> messages, boolean hasMore) {}

  public static final int MAX_PAGE = 100;
  private static final int CLIENT_MSG_ID_MAX = 64;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ChatStore store;
  private final Executor storeExecutor;
  private final MessageWriter writer;
  private final ChatEvents events;
  private final int maxTextLength;
  private final RoomAccess access;
  private final RoomService rooms;
  /** The id of {@code general}, once known; 0 before. */
  private volatile long generalId;

  /** A chat in which nobody is a server admin. */
  public ChatService(ChatStore store, Executor storeExecutor, MessageWriter writer, ChatEvents events,
      int maxTextLength) {
    this(store, storeExecutor, writer, events, maxTextLength, new RoomPolicy());
  }

  /** A chat whose rooms follow {@code policy}, which says among other things who the server admins are. */
  public ChatService(ChatStore store, Executor storeExecutor, MessageWriter writer, ChatEvents events,
      int maxTextLength, RoomPolicy policy) {
    this.store = store;
    this.storeExecutor = storeExecutor;
    this.writer = writer;
    this.events = events;
    this.maxTextLength = maxTextLength;
    this.access = new RoomAccess(store, Objects.requireNonNull(policy, "policy"));
    this.rooms = new RoomService(store, storeExecutor, writer, events, access);
  }

  public int maxTextLength() {
    return maxTextLength;
  }

  // ---- identity --------------------------------------------------------------------------------

  /** Signs in a guest by name, creating the user on first use. */
  public CompletableFuture<GuestLogin> guest(String name, Optional<String> guestKey) {
    String trimmed = name == null ? null : name.strip();
    if (!Names.validUser(trimmed)) {
      return failed(ChatException.invalid("invalid_name"));
    }
    return async(() -> {
      Optional<User> existing = store.userByName(trimmed);
      if (existing.isPresent()) {
        User user = existing.get();
        Optional<String> hash = store.userKeyHash(user.id());
        if (user.kind() == User.Kind.GUEST && guestKey.isPresent() && hash.isPresent()
            && MessageDigest.isEqual(hash.get().getBytes(StandardCharsets.US_ASCII),
                hashKey(guestKey.get()).getBytes(StandardCharsets.US_ASCII))) {
          ensureGeneral(user);
          return new GuestLogin(user, guestKey.get());
        }
        throw new ChatException(ChatException.Code.CONFLICT, "name_taken");
      }
      String key = newKey();
      User user;
      try {
        user = store.createUser(trimmed, User.Kind.GUEST, Optional.of(hashKey(key)));
      } catch (StoreException.Conflict e) {
        throw new ChatException(ChatException.Code.CONFLICT, "name_taken");
      }
      ensureGeneral(user);
      return new GuestLogin(user, key);
    });
  }

  /** The user of a signed-in account, put in {@code general} on first use. */
  public CompletableFuture<User> account(long userId) {
    return async(() -> {
      User user = store.user(userId)
          .filter(u -> u.kind() == User.Kind.ACCOUNT)
          .orElseThrow(() -> ChatException.notFound("no such account"));
      ensureGeneral(user);
      return user;
    });
  }

  /**
   * The user behind a tutorial-namespace name (no key, as the tutorial has none). A name held by
   * a keyed guest is not given away: the tutorial user gets the first free "name (n)".
   */
  public CompletableFuture<User> tutorialUser(String name) {
    String base = name == null ? "" : name.strip();
    if (base.length() > 28) {
      base = base.substring(0, 28).strip();
    }
    if (!Names.validUser(base)) {
      base = "guest";
    }
    String wanted = base;
    return async(() -> {
      for (int n = 1; n < 1000; n++) {
        String candidate = n == 1 ? wanted : wanted + " " + n;
        Optional<User> existing = store.userByName(candidate);
        if (existing.isPresent() && existing.get().kind() == User.Kind.TUTORIAL) {
          ensureGeneral(existing.get());
          return existing.get();
        }
        if (existing.isEmpty()) {
          try {
            User user = store.createUser(candidate, User.Kind.TUTORIAL, Optional.empty());
            ensureGeneral(user);
            return user;
          } catch (StoreException.Conflict e) {
            // taken meanwhile: try the next one
          }
        }
      }
      throw new ChatException(ChatException.Code.CONFLICT, "name_taken");
    });
  }

  private void ensureGeneral(User user) {
    Room general = store.publicRoomByName(Room.GENERAL)
        .orElseThrow(() -> new StoreException("the room 'general' is missing"));
    access.remember(general);
    generalId = general.id();
    if (store.addMember(general.id(), user.id())) {
      access.joined(user.id(), general.id(), RoomRole.MEMBER);
    }
  }

  // ---- rooms -----------------------------------------------------------------------------------

  /** Rooms and who is in them: lists, joins, DMs, invitations, removals, roles. */
  public RoomService rooms() {
    return rooms;
  }

  /** Whether the policy makes {@code user} a server admin (who moderates every public and private room). */
  public boolean isServerAdmin(User user) {
    return access.policy().isServerAdmin(user);
  }

  /** The rooms a user is in and receives, with unread counts and the user's role in each. */
  public CompletableFuture<List<Membership>> memberships(User user) {
    return async(() -> access.load(user.id()).stream()
        .filter(m -> access.decide(user, m.room(), Action.RECEIVE) == Decision.ALLOW)
        .toList());
  }

  /**
   * Another node changed a user's rooms or roles: what this node keeps in memory of them is read
   * again (only for users it holds).
   */
  public CompletableFuture<Void> membershipsChanged(long userId) {
    if (!access.loaded(userId)) {
      return CompletableFuture.completedFuture(null);
    }
    // Forgotten at once, so that no request decides on the old rooms meanwhile (it reads the
    // store instead); read again in the background for the live events, which use memory only.
    access.forget(userId);
    return async(() -> {
      access.load(userId);
      return null;
    });
  }

  // ---- messages --------------------------------------------------------------------------------

  /** Stores a message; completes once it is committed. */
  public CompletableFuture<Message> send(User user, long roomId, String text, String clientMsgId) {
    if (text == null || text.isBlank()) {
      return failed(ChatException.invalid("text must not be empty"));
    }
    if (text.length() > maxTextLength) {
      return failed(new ChatException(ChatException.Code.TOO_LONG,
          "text is longer than " + maxTextLength + " characters"));
    }
    if (clientMsgId == null || clientMsgId.isEmpty() || clientMsgId.length() > CLIENT_MSG_ID_MAX) {
      return failed(ChatException.invalid("clientMsgId must be 1-" + CLIENT_MSG_ID_MAX + " characters"));
    }
    if (text.indexOf('\0') >= 0 || clientMsgId.indexOf('\0') >= 0) {
      // Not storable in PostgreSQL, and never part of a real message.
      return failed(ChatException.invalid("text must not contain the NUL character"));
    }
    if (access.allowsNow(user, roomId, Action.SEND)) {
      return submit(user, roomId, text, clientMsgId);
    }
    return async(() -> access.require(user, roomId, Action.SEND))
        .thenCompose(room -> submit(user, roomId, text, clientMsgId));
  }

  private CompletableFuture<Message> submit(User user, long roomId, String text, String clientMsgId) {
    return writer.submit(new NewMessage(roomId, user, text, Optional.of(clientMsgId), Message.Kind.TEXT));
  }

  /** Called by the writer for each committed message, in order. */
  public void delivered(Message message) {
    access.room(message.roomId()).ifPresent(room -> events.message(room, message));
  }

  /** A page of a room's history. */
  public CompletableFuture<Page> history(User user, long roomId, Optional<Long> before, Optional<Long> after,
      int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      return failed(ChatException.invalid("limit must be 1-" + MAX_PAGE));
    }
    if (before.isPresent() && after.isPresent()) {
      return failed(ChatException.invalid("give before or after, not both"));
    }
    return async(() -> {
      access.require(user, roomId, Action.READ);
      return page(roomId, before, after, limit);
    });
  }

  private Page page(long roomId, Optional<Long> before, Optional<Long> after, int limit) {
    List<Message> messages = store.page(roomId, before, after, limit + 1);
    boolean hasMore = messages.size() > limit;
    if (hasMore) {
      // Ascending order: paging back drops the oldest, paging forward the newest.
      messages = after.isPresent() ? messages.subList(0, limit) : messages.subList(1, limit + 1);
    }
    return new Page(List.copyOf(messages), hasMore);
  }

  /**
   * What the user missed in each room after the seq given for it. Rooms the user may not read
   * are left out of the answer, as if not asked about.
   */
  public CompletableFuture<Map<Long, Page>> sync(User user, Map<Long, Long> lastSeqs) {
    if (lastSeqs.size() > 1000) {
      return failed(ChatException.invalid("too many rooms"));
    }
    return async(() -> {
      Map<Long, Page> out = new LinkedHashMap<>();
      for (Map.Entry<Long, Long> e : lastSeqs.entrySet()) {
        if (access.decide(user, e.getKey(), Action.READ) == Decision.ALLOW) {
          out.put(e.getKey(), page(e.getKey(), Optional.empty(), Optional.of(Math.max(0, e.getValue())), MAX_PAGE));
        }
      }
      return out;
    });
  }

  /** Marks a room read up to {@code seq}. */
  public CompletableFuture<long[]> markRead(User user, long roomId, long seq) {
    return async(() -> {
      access.require(user, roomId, Action.READ);
      long position = store.markRead(roomId, user.id(), seq);
      long last = store.lastSeqs(List.of(roomId)).getOrDefault(roomId, 0L);
      long unread = Math.max(0, last - position);
      events.readMoved(user, roomId, unread, position);
      return new long[] {unread, position};
    });
  }

  /**
   * Whether the user may tell a room it is typing, from memory only: typing is of the moment and
   * its handler runs on an event loop. False when not known yet.
   */
  public boolean mayType(User user, long roomId) {
    return access.allowsNow(user, roomId, Action.TYPE);
  }

  /**
   * The rooms whose members may hear when this connected user comes online or goes offline: those
   * the user is in. Presence thus reaches only users who share a room with them. From memory.
   */
  public Set<Long> presenceRooms(User user) {
    Set<Long> rooms = new HashSet<>();
    for (long roomId : access.roomsNow(user.id())) {
      if (access.allowsNow(user, roomId, Action.RECEIVE)) {
        rooms.add(roomId);
      }
    }
    return rooms;
  }

  /**
   * Whether the user receives a room's events, from memory only: a recovered connection is given
   * back only the rooms for which this holds. False when the user or room is not known.
   */
  public boolean receivesNow(User user, long roomId) {
    return access.allowsNow(user, roomId, Action.RECEIVE);
  }

  /** Posts to {@code general} (for the tutorial namespace, whose users are always in it). */
  public CompletableFuture<Message> sendToGeneral(User user, String text) {
    long id = generalId;
    if (id == 0) {
      return async(() -> {
        ensureGeneral(user);
        return generalId;
      }).thenCompose(gid -> send(user, gid, text, java.util.UUID.randomUUID().toString()));
    }
    return send(user, id, text, java.util.UUID.randomUUID().toString());
  }

  /** The newest messages of {@code general}, for the tutorial namespace. */
  public CompletableFuture<List<Message>> recentGeneral(int limit) {
    return async(() -> {
      Room general = store.publicRoomByName(Room.GENERAL).orElseThrow();
      return store.page(general.id(), Optional.empty(), Optional.empty(), limit);
    });
  }

  /** Whether the store answers. */
  public CompletableFuture<Boolean> ready() {
    return CompletableFuture.supplyAsync(store::ping, storeExecutor).exceptionally(e -> false);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private <T> CompletableFuture<T> async(Supplier<T> work) {
    return Futures.async(storeExecutor, work);
  }

  private static <T> CompletableFuture<T> failed(Throwable e) {
    return Futures.failed(e);
  }

  /** The cause of a failed future, without CompletionException wrappers. */
  public static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String newKey() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hashKey(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
