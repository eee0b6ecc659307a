package dev.parley.server.chat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The chat's rules: who may do what in which room, and what happens when they do. Storage work
 * runs on {@code storeExecutor}; messages go through the group-commit {@link MessageWriter};
 * connected clients hear about changes through {@link ChatEvents}. Thread-safe; never blocks the
 * caller.
 */
public final class ChatService {
  /** A guest's identity and the key that proves it next time. */
  public record GuestLogin(User user, String guestKey) {}

  /** A room with its member list, as returned by a join. */
  public record JoinedRoom(Membership membership, List<User> members) {}

  /** A page of history. */
  public record Page(List<Message> messages, boolean hasMore) {}

  public static final int MAX_PAGE = 100;
  private static final int CLIENT_MSG_ID_MAX = 64;
  private static final int MAX_ROOM_NAME = 40;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ChatStore store;
  private final Executor storeExecutor;
  private final MessageWriter writer;
  private final ChatEvents events;
  private final int maxTextLength;
  /** Room ids of each user seen since start; kept in step with joins and leaves. */
  private final Map<Long, Set<Long>> memberships = new ConcurrentHashMap<>();
  /** The id of {@code general}, once known; 0 before. */
  private volatile long generalId;
  /** Rooms by id; only their identity (id, name, kind) is used from here. */
  private final Map<Long, Room> rooms = new ConcurrentHashMap<>();

  public ChatService(ChatStore store, Executor storeExecutor, MessageWriter writer, ChatEvents events,
      int maxTextLength) {
    this.store = store;
    this.storeExecutor = storeExecutor;
    this.writer = writer;
    this.events = events;
    this.maxTextLength = maxTextLength;
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
    rooms.putIfAbsent(general.id(), general);
    generalId = general.id();
    if (store.addMember(general.id(), user.id())) {
      cachedMemberships(user.id()).add(general.id());
    }
  }

  // ---- rooms -----------------------------------------------------------------------------------

  /** The rooms of a user, with unread counts. */
  public CompletableFuture<List<Membership>> memberships(User user) {
    return async(() -> loadMemberships(user.id()));
  }

  private List<Membership> loadMemberships(long userId) {
    List<Membership> list = store.memberships(userId);
    Set<Long> ids = ConcurrentHashMap.newKeySet();
    for (Membership m : list) {
      ids.add(m.room().id());
      rooms.putIfAbsent(m.room().id(), m.room());
    }
    memberships.put(userId, ids);
    return list;
  }

  private Set<Long> cachedMemberships(long userId) {
    Set<Long> ids = memberships.get(userId);
    if (ids == null) {
      loadMemberships(userId);
      ids = memberships.get(userId);
    }
    return ids;
  }

  /** Whether the user is a member, from memory when known. May block: call on the store executor. */
  private boolean isMember(long userId, long roomId) {
    return cachedMemberships(userId).contains(roomId);
  }

  /** Every public room, and whether the user is in it. */
  public CompletableFuture<List<Map.Entry<Room, Boolean>>> publicRooms(User user) {
    return async(() -> {
      Set<Long> mine = cachedMemberships(user.id());
      List<Map.Entry<Room, Boolean>> out = new ArrayList<>();
      for (Room room : store.publicRooms()) {
        out.add(Map.entry(room, mine.contains(room.id())));
      }
      return out;
    });
  }

  /** Creates a public room and joins it. */
  public CompletableFuture<JoinedRoom> createRoom(User user, String name, String topic) {
    String trimmed = name == null ? null : name.strip();
    if (trimmed != null && trimmed.length() > MAX_ROOM_NAME) {
      return failed(new ChatException(ChatException.Code.TOO_LONG, "a room name is at most 40 characters"));
    }
    if (!Names.validRoom(trimmed)) {
      return failed(ChatException.invalid("a room name is 1-40 letters, digits, spaces, '_', '.' or '-'"));
    }
    String cleanTopic = topic == null ? "" : topic.strip();
    if (cleanTopic.indexOf('\0') >= 0) {
      return failed(ChatException.invalid("a topic must not contain the NUL character"));
    }
    if (cleanTopic.length() > 200) {
      return failed(new ChatException(ChatException.Code.TOO_LONG, "a topic is at most 200 characters"));
    }
    return async(() -> {
      Room room;
      try {
        room = store.createPublicRoom(trimmed, cleanTopic, user.id());
      } catch (StoreException.Conflict e) {
        throw new ChatException(ChatException.Code.CONFLICT, "a room with that name exists");
      }
      rooms.put(room.id(), room);
      return join(user, room);
    }).thenCompose(joined -> notice(user, joined));
  }

  /** Joins a public room, by id or by name. */
  public CompletableFuture<JoinedRoom> joinRoom(User user, Optional<Long> roomId, Optional<String> name) {
    if (roomId.isEmpty() && name.isEmpty()) {
      return failed(ChatException.invalid("give roomId or name"));
    }
    return async(() -> {
      Optional<Room> room = roomId.isPresent() ? store.room(roomId.get())
          : name.flatMap(n -> store.publicRoomByName(n.strip()));
      if (room.isEmpty() || (room.get().kind() != Room.Kind.PUBLIC && !isMember(user.id(), room.get().id()))) {
        throw ChatException.notFound("no such room");
      }
      rooms.putIfAbsent(room.get().id(), room.get());
      return join(user, room.get());
    }).thenCompose(joined -> notice(user, joined));
  }

  /** Membership changes, then a join notice if the user was not a member yet. */
  private JoinedRoom join(User user, Room room) {
    boolean added = store.addMember(room.id(), user.id());
    cachedMemberships(user.id()).add(room.id());
    if (added) {
      events.joined(user, room);
    }
    Membership membership = store.memberships(user.id()).stream()
        .filter(m -> m.room().id() == room.id()).findFirst()
        .orElseThrow(() -> new StoreException("membership vanished"));
    return new JoinedRoom(membership, added ? null : store.members(room.id()));
  }

  private CompletableFuture<JoinedRoom> notice(User user, JoinedRoom joined) {
    if (joined.members() != null) {
      return CompletableFuture.completedFuture(joined);
    }
    Room room = joined.membership().room();
    return writer.submit(new NewMessage(room.id(), user, "", Optional.empty(), Message.Kind.JOIN))
        .thenApplyAsync(m -> new JoinedRoom(
            new Membership(new Room(room.id(), room.name(), room.kind(), room.topic(), m.seq(), room.memberCount()),
                m.seq(), joined.membership().peer()),
            store.members(room.id())), storeExecutor);
  }

  /** Leaves a public room (not {@code general}). */
  public CompletableFuture<Void> leaveRoom(User user, long roomId) {
    return async(() -> {
      Room room = store.room(roomId).orElseThrow(() -> ChatException.notFound("no such room"));
      if (!isMember(user.id(), roomId)) {
        throw ChatException.notFound("you are not in that room");
      }
      if (room.kind() != Room.Kind.PUBLIC || Room.GENERAL.equalsIgnoreCase(room.name())) {
        throw ChatException.forbidden("this room cannot be left");
      }
      return room;
    }).thenCompose(room -> writer.submit(new NewMessage(roomId, user, "", Optional.empty(), Message.Kind.LEAVE))
        .thenApplyAsync(m -> {
          store.removeMember(roomId, user.id());
          cachedMemberships(user.id()).remove(roomId);
          events.left(user, room);
          return null;
        }, storeExecutor));
  }

  /** The members of a room the user can see. */
  public CompletableFuture<List<User>> members(User user, long roomId) {
    return async(() -> {
      Room room = store.room(roomId).orElseThrow(() -> ChatException.notFound("no such room"));
      if (room.kind() != Room.Kind.PUBLIC && !isMember(user.id(), roomId)) {
        throw ChatException.notFound("no such room");
      }
      return store.members(roomId);
    });
  }

  /** The DM room between {@code user} and another user, by id or name. */
  public CompletableFuture<Membership> openDm(User user, Optional<Long> peerId, Optional<String> peerName) {
    if (peerId.isEmpty() && peerName.isEmpty()) {
      return failed(ChatException.invalid("give userId or name"));
    }
    return async(() -> {
      Optional<User> peer = peerId.isPresent() ? store.user(peerId.get())
          : peerName.flatMap(n -> store.userByName(n.strip()));
      if (peer.isEmpty()) {
        throw ChatException.notFound("no such user");
      }
      if (peer.get().id() == user.id()) {
        throw ChatException.invalid("a direct message needs another user");
      }
      Room room = store.dmRoom(user.id(), peer.get().id());
      rooms.putIfAbsent(room.id(), room);
      boolean newForUser = cachedMemberships(user.id()).add(room.id());
      boolean newForPeer = cachedMemberships(peer.get().id()).add(room.id());
      Membership mine = membershipOf(user.id(), room.id());
      if (newForUser) {
        events.joined(user, room);
      }
      if (newForPeer) {
        events.joined(peer.get(), room);
        events.roomAdded(peer.get(), membershipOf(peer.get().id(), room.id()));
      }
      return mine;
    });
  }

  private Membership membershipOf(long userId, long roomId) {
    return store.memberships(userId).stream().filter(m -> m.room().id() == roomId).findFirst()
        .orElseThrow(() -> new StoreException("membership vanished"));
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
    Set<Long> known = memberships.get(user.id());
    if (known != null) {
      return known.contains(roomId) ? submit(user, roomId, text, clientMsgId)
          : failed(ChatException.forbidden("you are not in that room"));
    }
    return async(() -> isMember(user.id(), roomId)).thenCompose(member -> member
        ? submit(user, roomId, text, clientMsgId) : failed(ChatException.forbidden("you are not in that room")));
  }

  private CompletableFuture<Message> submit(User user, long roomId, String text, String clientMsgId) {
    return writer.submit(new NewMessage(roomId, user, text, Optional.of(clientMsgId), Message.Kind.TEXT));
  }

  /** Called by the writer for each committed message, in order. */
  public void delivered(Message message) {
    Room room = rooms.get(message.roomId());
    if (room == null) {
      room = store.room(message.roomId()).orElse(null);
      if (room == null) {
        return;
      }
      rooms.put(room.id(), room);
    }
    events.message(room, message);
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
      if (!isMember(user.id(), roomId)) {
        throw ChatException.forbidden("you are not in that room");
      }
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

  /** What the user missed in each room after the seq given for it. */
  public CompletableFuture<Map<Long, Page>> sync(User user, Map<Long, Long> lastSeqs) {
    if (lastSeqs.size() > 1000) {
      return failed(ChatException.invalid("too many rooms"));
    }
    return async(() -> {
      Map<Long, Page> out = new LinkedHashMap<>();
      for (Map.Entry<Long, Long> e : lastSeqs.entrySet()) {
        if (isMember(user.id(), e.getKey())) {
          out.put(e.getKey(), page(e.getKey(), Optional.empty(), Optional.of(Math.max(0, e.getValue())), MAX_PAGE));
        }
      }
      return out;
    });
  }

  /** Marks a room read up to {@code seq}. */
  public CompletableFuture<long[]> markRead(User user, long roomId, long seq) {
    return async(() -> {
      if (!isMember(user.id(), roomId)) {
        throw ChatException.forbidden("you are not in that room");
      }
      long position = store.markRead(roomId, user.id(), seq);
      long last = store.lastSeqs(List.of(roomId)).getOrDefault(roomId, 0L);
      long unread = Math.max(0, last - position);
      events.readMoved(user, roomId, unread, position);
      return new long[] {unread, position};
    });
  }

  /** Whether the user is a member of the room, from memory only (for ephemeral events). */
  public boolean knownMember(long userId, long roomId) {
    Set<Long> ids = memberships.get(userId);
    return ids != null && ids.contains(roomId);
  }

  /** The room ids a connected user is in, from memory. */
  public Set<Long> knownRooms(long userId) {
    Set<Long> ids = memberships.get(userId);
    return ids == null ? Set.of() : Set.copyOf(ids);
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
    try {
      return CompletableFuture.supplyAsync(work, storeExecutor);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return failed(new ChatException(ChatException.Code.OVERLOADED, "the server is busy; retry later"));
    }
  }

  private static <T> CompletableFuture<T> failed(Throwable e) {
    return CompletableFuture.failedFuture(e);
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
