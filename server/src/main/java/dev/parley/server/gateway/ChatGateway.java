package dev.parley.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.Principal;
import dev.parley.server.chat.ChatEvents;
import dev.parley.server.chat.ChatException;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.Member;
import dev.parley.server.chat.Membership;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.RoomService;
import dev.parley.server.chat.User;
import dev.parley.server.limits.RateLimiter;
import dev.parley.socketio.Ack;
import dev.parley.socketio.Args;
import dev.parley.socketio.ConnectError;
import dev.parley.socketio.EventHandler;
import dev.parley.socketio.Middleware;
import dev.parley.socketio.Namespace;
import dev.parley.socketio.Socket;
import dev.parley.socketio.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The {@code /chat} namespace of docs/protocol.md on top of {@link ChatService}: signs sockets in,
 * turns requests into service calls and acknowledgements, and delivers the service's events to
 * the sockets of the users concerned. Each socket is in the Socket.IO room {@code u:<userId>} and
 * in {@code r:<roomId>} for each chat room its user is in, and leaves it the moment its user is
 * no longer a member. Presence and typing are ephemeral and live here; whether they may be sent
 * is the chat's {@link dev.parley.server.chat.RoomPolicy} to say, like everything else about rooms.
 */
public final class ChatGateway implements ChatEvents {
  /** The namespace it serves. */
  public static final String NAMESPACE = "/chat";
  static final String USER = "user";
  static final String PRINCIPAL = "principal";
  private static final String UNAUTHORIZED = "unauthorized";
  private static final long TYPING_INTERVAL_MS = 1000;

  private final ChatService chat;
  private final RateLimiter limiter;
  private final Authenticator authenticator;
  private final boolean guests;
  private final RoomService rooms;
  private final Namespace namespace;
  /** Who is online on other nodes, and which changes are announced (once, cluster-wide). */
  private final Presence presence;
  private final Duration presenceGrace;
  /** Open connections per user, over all tabs. */
  private final Map<Long, Integer> online = new ConcurrentHashMap<>();
  private final List<BiConsumer<Room, Message>> messageListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * The gateway of {@code server}'s {@code /chat}.
   *
   * @param guests whether connections without an account may chat under a guest name
   * @param presenceGrace how long a user who lost its last connection may take to come back
   *     before the others hear it went offline
   */
  public ChatGateway(SocketIoServer server, ChatService chat, RateLimiter limiter, Authenticator authenticator,
      boolean guests, Duration presenceGrace) {
    this(server, chat, limiter, authenticator, guests, presenceGrace, Presence.local());
  }

  /** As above, with what other nodes know of presence. */
  public ChatGateway(SocketIoServer server, ChatService chat, RateLimiter limiter, Authenticator authenticator,
      boolean guests, Duration presenceGrace, Presence presence) {
    this.presence = presence;
    presence.onAnnounce(this::announceFromElsewhere);
    this.presenceGrace = presenceGrace;
    this.chat = chat;
    this.limiter = limiter;
    this.authenticator = authenticator;
    this.guests = guests;
    this.rooms = chat.rooms();
    this.namespace = server.namespace(NAMESPACE);
    namespace.use(this::signIn);
    namespace.onConnection(this::onConnection);
  }

  /** Also tells {@code listener} about every delivered message (the tutorial namespace uses it). */
  public void onMessage(BiConsumer<Room, Message> listener) {
    messageListeners.add(listener);
  }

  static String roomKey(long roomId) {
    return "r:" + roomId;
  }

  static String userKey(long userId) {
    return "u:" + userId;
  }

  public boolean isOnline(long userId) {
    return online.getOrDefault(userId, 0) > 0 || presence.onlineElsewhere(userId);
  }

  // ---- connecting --------------------------------------------------------------------------------

  /**
   * The {@code /chat} middleware: a connection signs in with an account (the session cookie of
   * the handshake, or {@code auth.token}: an access token or a personal access token) or, when
   * guests are allowed, as a guest ({@code auth.name} and, to be the same guest again,
   * {@code auth.guestKey}). A token that does not prove an account is refused as
   * {@code unauthorized}; so is everything else when guests are not allowed.
   */
  private void signIn(Socket socket, Middleware.Next next) {
    Optional<Duration> wait = limiter.connection(socket.handshake().address());
    if (wait.isPresent()) {
      next.refuse(new ConnectError("rate_limited", Map.of("retryAfterMs", wait.get().toMillis() + 1)));
      return;
    }
    JsonNode auth = socket.handshake().auth();
    JsonNode token = auth.get("token");
    if (token != null && !token.isTextual()) {
      next.refuse(ConnectError.of(UNAUTHORIZED));
      return;
    }
    String bearer = token == null ? null : token.textValue();
    String cookie = socket.handshake().header("cookie").orElse(null);
    if (bearer == null && !authenticator.hasSessionCookie(cookie)) {
      signInAsGuest(socket, next);
      return;
    }
    authenticator.authenticate(cookie, bearer).whenComplete((principal, error) -> {
      if (error != null) {
        next.refuse(new ConnectError("unavailable", Map.of("retry", true)));
      } else if (principal.isPresent()) {
        signInAccount(socket, next, principal.get());
      } else if (bearer != null) {
        next.refuse(ConnectError.of(UNAUTHORIZED));
      } else {
        // A stale cookie: the browser may still chat as a guest where guests are welcome.
        signInAsGuest(socket, next);
      }
    });
  }

  private void signInAccount(Socket socket, Middleware.Next next, Principal principal) {
    chat.account(principal.userId()).whenComplete((user, error) -> {
      if (error != null) {
        Throwable cause = ChatService.unwrap(error);
        next.refuse(cause instanceof ChatException ? ConnectError.of(UNAUTHORIZED)
            : new ConnectError("unavailable", Map.of("retry", true)));
        return;
      }
      socket.data().put(USER, user);
      socket.data().put(PRINCIPAL, principal);
      next.proceed();
    });
  }

  private void signInAsGuest(Socket socket, Middleware.Next next) {
    if (!guests) {
      next.refuse(ConnectError.of(UNAUTHORIZED));
      return;
    }
    JsonNode auth = socket.handshake().auth();
    JsonNode name = auth.get("name");
    JsonNode key = auth.get("guestKey");
    if (name == null || !name.isTextual()) {
      next.refuse(ConnectError.of("invalid_name"));
      return;
    }
    Optional<String> guestKey = key != null && key.isTextual() ? Optional.of(key.textValue()) : Optional.empty();
    chat.guest(name.textValue(), guestKey).whenComplete((login, error) -> {
      if (error != null) {
        Throwable cause = ChatService.unwrap(error);
        if (cause instanceof ChatException e && e.code() == ChatException.Code.CONFLICT) {
          next.refuse(ConnectError.of("name_taken"));
        } else if (cause instanceof ChatException e && e.code() == ChatException.Code.INVALID_ARGUMENT) {
          next.refuse(ConnectError.of("invalid_name"));
        } else {
          next.refuse(new ConnectError("unavailable", Map.of("retry", true)));
        }
        return;
      }
      socket.data().put(USER, login.user());
      socket.data().put("guestKey", login.guestKey());
      next.proceed();
    });
  }

  /** The Socket.IO room of the connections a credential opened. */
  static String credentialKey(Principal principal) {
    return credentialKey(principal.via() == Principal.Via.PERSONAL_TOKEN, principal.credentialId());
  }

  private static String credentialKey(boolean personalToken, String credentialId) {
    return (personalToken ? "t:" : "s:") + credentialId;
  }

  // ---- revocation --------------------------------------------------------------------------------

  /** Closes the connections of a web session that ended (sign-out, password change, …). */
  public void sessionRevoked(String sessionId) {
    signOut(credentialKey(false, sessionId), "signed out");
  }

  /** Closes the connections of a revoked personal access token. */
  public void personalTokenRevoked(String tokenId) {
    signOut(credentialKey(true, tokenId), "token revoked");
  }

  /** Closes every connection of a deactivated account. */
  public void userRevoked(long userId) {
    signOut(userKey(userId), "account deactivated");
  }

  /**
   * Tells the connections in {@code key} why, then disconnects them from the namespace (not a
   * recoverable drop: clients do not reconnect by themselves, and their sessions are not kept).
   */
  private void signOut(String key, String reason) {
    namespace.to(key).emit("signed_out", Map.of("reason", reason));
    namespace.in(key).disconnectSockets(false);
  }

  private void onConnection(Socket socket) {
    User user = (User) socket.data().get(USER);
    register(socket, user);
    Principal principal = (Principal) socket.data().get(PRINCIPAL);
    if (socket.recovered()) {
      if (principal == null) {
        resyncRooms(socket, user);
        return;
      }
      // Recovery skips the middleware: the credential may have been revoked while it was away.
      authenticator.revalidate(principal).whenComplete((still, error) -> {
        if (error != null || still.isEmpty()) {
          socket.emit("signed_out", Map.of("reason", error != null ? "cannot check the sign-in" : "signed out"));
          socket.disconnect(false);
          return;
        }
        socket.data().put(PRINCIPAL, still.get());
        socket.join(credentialKey(still.get()));
        resyncRooms(socket, user);
      });
      return;
    }
    chat.memberships(user).whenComplete((memberships, error) -> {
      if (error != null) {
        socket.disconnect(true);
        return;
      }
      List<String> keys = new ArrayList<>();
      keys.add(userKey(user.id()));
      if (principal != null) {
        keys.add(credentialKey(principal));
      }
      List<Dto.RoomDto> rooms = new ArrayList<>();
      for (Membership m : memberships) {
        keys.add(roomKey(m.room().id()));
        rooms.add(Dto.room(m));
      }
      socket.join(keys.toArray(String[]::new));
      Map<String, Object> session = new LinkedHashMap<>();
      session.put("user", Dto.user(user, true));
      if (socket.data().get("guestKey") != null) {
        session.put("guestKey", socket.data().get("guestKey"));
      }
      session.put("rooms", rooms);
      socket.emit("session", session);
      comeOnline(user);
    });
  }

  /**
   * A recovered socket is given back the rooms it had when its connection dropped, but its user
   * may have been added to rooms meanwhile (a DM someone opened, a join from another tab) or have
   * left some. Without this it would never get the messages of the new rooms and keep getting
   * those of the rooms left. Each room new to it is sent as a {@code room} event with its current
   * {@code lastSeq}, so the client can fetch what was said there while it was away. Reading the
   * memberships also loads them into memory after a restart, which typing and presence need.
   */
  private void resyncRooms(Socket socket, User user) {
    Set<String> had = socket.rooms();
    // The rooms memory knows of are joined at once, before the client can send anything that
    // a new room's members should receive; the store's answer below settles the rest.
    Set<String> known = new HashSet<>();
    chat.presenceRooms(user).forEach(id -> known.add(roomKey(id)));
    known.removeAll(had);
    if (!known.isEmpty()) {
      socket.join(known.toArray(String[]::new));
    }
    chat.memberships(user).whenComplete((memberships, error) -> {
      if (error != null) {
        socket.disconnect(true);
        return;
      }
      Set<String> wanted = new HashSet<>();
      memberships.forEach(m -> wanted.add(roomKey(m.room().id())));
      Set<String> joined = new HashSet<>(had);
      joined.addAll(known);
      joined.stream().filter(r -> r.startsWith("r:") && !wanted.contains(r)).forEach(socket::leave);
      Set<String> added = new HashSet<>(wanted);
      added.removeAll(had);
      if (!added.isEmpty()) {
        socket.join(added.toArray(String[]::new));
        memberships.stream()
            .filter(m -> added.contains(roomKey(m.room().id())))
            .forEach(m -> socket.emit("room", Dto.room(m)));
      }
      comeOnline(user);
    });
  }

  private void comeOnline(User user) {
    boolean[] first = {false};
    online.compute(user.id(), (id, n) -> {
      first[0] = n == null;
      return n == null ? 1 : n + 1;
    });
    if (first[0]) {
      // Back within the grace period, or online on another node: the others heard it already.
      presence.claimOnline(user).thenAccept(tell -> {
        if (tell) {
          presence(user, true);
        }
      });
    }
  }

  /**
   * A connection of the user closed. When it was the last one, the others hear it went offline
   * after the presence grace period, unless it came back meanwhile: a reload, a network blip or
   * a server restart then costs no presence events at all (each goes to every member of every
   * room the user is in, so a reconnect storm would otherwise cost members² deliveries).
   */
  private void goOffline(User user) {
    boolean[] last = {false};
    online.compute(user.id(), (id, n) -> {
      last[0] = n == null || n <= 1;
      return last[0] ? null : n - 1;
    });
    if (!last[0]) {
      return;
    }
    if (presenceGrace.isZero()) {
      announceOffline(user);
    } else {
      CompletableFuture.delayedExecutor(presenceGrace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
        try {
          announceOffline(user);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // The server stopped during the grace period: there is nobody left to tell.
        }
      });
    }
  }

  private void announceOffline(User user) {
    if (online.containsKey(user.id())) {
      return;
    }
    presence.claimOffline(user).thenAccept(tell -> {
      if (!tell) {
        return;
      }
      if (online.containsKey(user.id())) {
        // It came back while this was decided: it stays announced, and nobody hears a thing.
        presence.claimOnline(user);
      } else {
        presence(user, false);
      }
    });
  }

  /** Announces a change this node did not see (see {@link Presence#onAnnounce}). */
  private void announceFromElsewhere(User user, boolean isOnline) {
    // This node may not know the user's rooms yet: read them first.
    chat.memberships(user).whenComplete((memberships, error) -> {
      if (error == null) {
        presence(user, isOnline);
      }
    });
  }

  private void presence(User user, boolean isOnline) {
    Set<Long> audience = chat.presenceRooms(user);
    if (audience.isEmpty()) {
      return;
    }
    String[] keys = audience.stream().map(ChatGateway::roomKey).toArray(String[]::new);
    namespace.to(keys).emit("presence", Map.of("user", Dto.user(user, isOnline)));
  }

  private void register(Socket socket, User user) {
    Map<Long, Long> typingSentAt = new HashMap<>();
    registerRooms(socket, user);
    on(socket, user, "message:send", (req, ack) -> Replies.reply(ack,
        chat.send(user, Fields.id(req, "roomId"), Fields.text(req, "text"), Fields.text(req, "clientMsgId")),
        m -> {
          Map<String, Object> reply = Replies.ok("id", Long.toString(m.id()));
          reply.put("roomId", Long.toString(m.roomId()));
          reply.put("seq", m.seq());
          reply.put("ts", m.ts());
          return reply;
        }));
    on(socket, user, "history", (req, ack) -> Replies.reply(ack,
        chat.history(user, Fields.id(req, "roomId"), Fields.optionalSeq(req, "before"),
            Fields.optionalSeq(req, "after"), Fields.limit(req, 50)),
        page -> {
          Map<String, Object> reply = Replies.ok("messages", page.messages().stream().map(Dto::message).toList());
          reply.put("hasMore", page.hasMore());
          return reply;
        }));
    on(socket, user, "sync", (req, ack) -> {
      JsonNode rooms = Fields.value(req, "rooms");
      if (rooms == null || !rooms.isObject()) {
        throw new ChatException(ChatException.Code.INVALID_ARGUMENT, "rooms must be an object of roomId: lastSeq");
      }
      Map<Long, Long> lastSeqs = new LinkedHashMap<>();
      rooms.fields().forEachRemaining(e -> {
        if (!e.getKey().matches("[0-9]{1,18}") || !e.getValue().canConvertToLong() || !e.getValue().isIntegralNumber()) {
          throw new ChatException(ChatException.Code.INVALID_ARGUMENT, "rooms must map room ids to seqs");
        }
        lastSeqs.put(Long.parseLong(e.getKey()), e.getValue().longValue());
      });
      Replies.reply(ack, chat.sync(user, lastSeqs), pages -> {
        Map<String, Object> out = new LinkedHashMap<>();
        pages.forEach((roomId, page) -> out.put(Long.toString(roomId), Map.of(
            "messages", page.messages().stream().map(Dto::message).toList(), "hasMore", page.hasMore())));
        return Replies.ok("rooms", out);
      });
    });
    on(socket, user, "read", (req, ack) -> Replies.reply(ack,
        chat.markRead(user, Fields.id(req, "roomId"), Fields.optionalSeq(req, "seq")
            .orElseThrow(() -> new ChatException(ChatException.Code.INVALID_ARGUMENT, "seq is required"))),
        r -> {
          Map<String, Object> reply = Replies.ok("unread", r[0]);
          reply.put("lastReadSeq", r[1]);
          return reply;
        }));
    socket.on("typing", (args, ack) -> {
      // Needs no acknowledgement; a client that asks for one learns whether the request was well
      // formed (not whether it was relayed: typing is throttled, and never tells about rooms one
      // is not in).
      try {
        typing(socket, user, typingSentAt, Fields.object(args.get(0)));
        ack.send(Replies.ok());
      } catch (ChatException e) {
        ack.send(Replies.error(e));
      }
    });
    socket.onDisconnect(reason -> {
      for (Long roomId : typingSentAt.keySet()) {
        if (!chat.mayType(user, roomId)) {
          continue;
        }
        namespace.to(roomKey(roomId)).asVolatile()
            .emit("typing", Map.of("roomId", Long.toString(roomId), "user", Dto.user(user), "typing", false));
      }
      goOffline(user);
    });
  }

  /** Relays a typing request to the room, at most once a second per room and socket. */
  private void typing(Socket socket, User user, Map<Long, Long> typingSentAt, JsonNode req) {
    long roomId = Fields.id(req, "roomId");
    boolean typing = Fields.bool(req, "typing");
    if (!chat.mayType(user, roomId)) {
      return;
    }
    long now = System.currentTimeMillis();
    Long last = typingSentAt.get(roomId);
    if (typing && last != null && now - last < TYPING_INTERVAL_MS) {
      return;
    }
    if (typing) {
      typingSentAt.put(roomId, now);
    } else if (typingSentAt.remove(roomId) == null) {
      return;
    }
    namespace.to(roomKey(roomId)).except(socket.id()).asVolatile()
        .emit("typing", Map.of("roomId", Long.toString(roomId), "user", Dto.user(user), "typing", typing));
  }

  private void registerRooms(Socket socket, User user) {
    on(socket, user, "rooms:list", (req, ack) -> Replies.reply(ack, rooms.list(user),
        list -> Replies.ok("rooms", list.stream().map(l -> Dto.room(l.room(), l.role())).toList())));
    on(socket, user, "room:create", (req, ack) -> Replies.reply(ack,
        rooms.create(user, Fields.text(req, "name"), Fields.optionalText(req, "topic").orElse(""),
            Fields.optionalBool(req, "private")),
        joined -> Replies.ok("room", Dto.room(joined.membership()))));
    on(socket, user, "room:join", (req, ack) -> Replies.reply(ack,
        rooms.join(user, Fields.optionalId(req, "roomId"), Fields.optionalText(req, "name")),
        joined -> {
          Map<String, Object> reply = Replies.ok("room", Dto.room(joined.membership()));
          reply.put("members", members(joined.members()));
          return reply;
        }));
    on(socket, user, "room:leave", (req, ack) -> Replies.reply(ack, rooms.leave(user, Fields.id(req, "roomId")),
        v -> Replies.ok()));
    on(socket, user, "room:members", (req, ack) -> Replies.reply(ack, rooms.members(user, Fields.id(req, "roomId")),
        members -> Replies.ok("members", members(members))));
    on(socket, user, "dm:open", (req, ack) -> Replies.reply(ack,
        rooms.openDm(user, Fields.optionalId(req, "userId"), Fields.optionalText(req, "name")),
        m -> Replies.ok("room", Dto.room(m))));
    on(socket, user, "room:invite", (req, ack) -> Replies.reply(ack,
        rooms.invite(user, Fields.id(req, "roomId"), Fields.optionalId(req, "userId"), Fields.optionalText(req, "name")),
        member -> Replies.ok("user", Dto.member(member, isOnline(member.user().id())))));
    on(socket, user, "room:kick", (req, ack) -> Replies.reply(ack,
        rooms.kick(user, Fields.id(req, "roomId"), Fields.id(req, "userId")), v -> Replies.ok()));
    on(socket, user, "room:role", (req, ack) -> Replies.reply(ack,
        rooms.setRole(user, Fields.id(req, "roomId"), Fields.id(req, "userId"), Fields.role(req, "role")),
        member -> Replies.ok("user", Dto.member(member, isOnline(member.user().id())))));
  }

  private List<Dto.UserDto> members(List<Member> members) {
    return members.stream().map(m -> Dto.member(m, isOnline(m.user().id()))).toList();
  }

  /**
   * Registers a request handler that takes from the user's rate limit, validates its first
   * argument and answers errors.
   */
  private void on(Socket socket, User user, String event, Handler handler) {
    boolean isSend = "message:send".equals(event);
    socket.on(event, (EventHandler) (Args args, Ack ack) -> {
      if (!ack.requested()) {
        return;
      }
      try {
        Optional<Duration> wait = isSend ? limiter.message(user.id()) : limiter.request(user.id());
        if (wait.isPresent()) {
          throw ChatException.rateLimited(isSend ? "sending too fast; retry later with the same clientMsgId"
              : "too many requests; retry later", wait.get().toMillis() + 1);
        }
        handler.handle(Fields.object(args.get(0)), ack);
      } catch (ChatException e) {
        ack.send(Replies.error(e));
      }
    });
  }

  @FunctionalInterface
  private interface Handler {
    void handle(JsonNode request, Ack ack);
  }

  /** Tells every client the server is stopping (they reconnect by themselves once it is back). */
  public void announceShutdown() {
    namespace.local().emit("shutdown", Map.of("reason", "server shutting down"));
  }

  // ---- ChatEvents --------------------------------------------------------------------------------

  @Override
  public void message(Room room, Message message) {
    // Every node delivers every message to its own sockets (in id order), so this stays local.
    namespace.to(roomKey(room.id())).local().emit("message", Dto.message(message));
    for (BiConsumer<Room, Message> listener : messageListeners) {
      listener.accept(room, message);
    }
  }

  @Override
  public void joined(User user, Room room) {
    namespace.in(userKey(user.id())).socketsJoin(roomKey(room.id()));
    namespace.to(roomKey(room.id())).emit("member",
        Map.of("roomId", Long.toString(room.id()), "user", Dto.user(user, isOnline(user.id())), "joined", true));
  }

  @Override
  public void left(User user, Room room) {
    namespace.to(roomKey(room.id())).emit("member",
        Map.of("roomId", Long.toString(room.id()), "user", Dto.user(user), "joined", false));
    namespace.in(userKey(user.id())).socketsLeave(roomKey(room.id()));
    // The user's other tabs learn it too.
    namespace.to(userKey(user.id())).emit("room:removed", Map.of("roomId", Long.toString(room.id()), "reason", "left"));
  }

  /**
   * The removed user's sockets leave the room first: each event loop runs the leave before any
   * later broadcast to the room, so nothing sent from here on reaches them, typing included; and
   * their {@code room:removed} comes after the leave, so a client that has it receives nothing
   * more of the room.
   */
  @Override
  public void removed(User user, Room room, String reason) {
    namespace.in(userKey(user.id())).socketsLeave(roomKey(room.id()));
    namespace.to(userKey(user.id())).emit("room:removed", Map.of("roomId", Long.toString(room.id()), "reason", reason));
    namespace.to(roomKey(room.id())).emit("member",
        Map.of("roomId", Long.toString(room.id()), "user", Dto.user(user), "joined", false));
  }

  @Override
  public void roleChanged(User user, Membership membership) {
    long roomId = membership.room().id();
    namespace.to(roomKey(roomId)).emit("role", Map.of("roomId", Long.toString(roomId),
        "user", Dto.user(user, isOnline(user.id())), "role", Dto.code(membership.role())));
    namespace.to(userKey(user.id())).emit("room", Dto.room(membership));
  }

  @Override
  public void roomAdded(User user, Membership membership) {
    namespace.to(userKey(user.id())).emit("room", Dto.room(membership));
  }

  @Override
  public void readMoved(User user, long roomId, long unread, long lastReadSeq) {
    namespace.to(userKey(user.id())).emit("unread",
        Map.of("roomId", Long.toString(roomId), "unread", unread, "lastReadSeq", lastReadSeq));
  }
}
