package dev.parley.server.http;

import static dev.parley.server.http.ApiJson.json;
import static dev.parley.server.http.ApiJson.noContent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.Account;
import dev.parley.server.auth.AccountService;
import dev.parley.server.auth.Principal;
import dev.parley.server.chat.ChatException;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.Member;
import dev.parley.server.chat.Membership;
import dev.parley.server.chat.RoomService;
import dev.parley.server.chat.User;
import dev.parley.server.gateway.Dto;
import dev.parley.server.gateway.Fields;
import dev.parley.server.http.ApiRouter.Route;
import dev.parley.server.limits.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * The chat over HTTP (see docs/api.md): the requests of the {@code /chat} Socket.IO namespace as
 * routes under {@code /api/v1}, for accounts signed in by the session cookie or a bearer token.
 * Each route asks the same {@link ChatService} and {@link RoomService} methods the Socket.IO
 * gateway does, so the {@code RoomPolicy} decides every request exactly as there, and answers
 * with the same JSON shapes ({@link Dto}). A message sent here is delivered to the room's
 * Socket.IO clients like any other. Sends take from the user's message rate limit, everything
 * else from its request rate limit, shared with the user's Socket.IO connections. Thread-safe;
 * the work runs on the chat's and the accounts' executors.
 */
public final class ChatApi {
  static final String ROOMS = ApiHandler.PREFIX + "/rooms";
  static final String ROOM = ROOMS + "/{roomId}";
  private static final String ROOM_ID = "roomId";
  private static final String USER_ID = "userId";
  private static final int DEFAULT_PAGE = 50;

  private final ChatService chat;
  private final RoomService rooms;
  private final AccountService accounts;
  private final Credentials credentials;
  private final RateLimiter limiter;
  private final LongPredicate online;

  /**
   * @param online whether a user has a chat connection open now (shown on members)
   */
  public ChatApi(ChatService chat, AccountService accounts, RateLimiter limiter, LongPredicate online) {
    this.chat = chat;
    this.rooms = chat.rooms();
    this.accounts = accounts;
    this.credentials = new Credentials(accounts);
    this.limiter = limiter;
    this.online = online;
  }

  List<Route> routes() {
    return List.of(
        Route.get(ApiHandler.PREFIX + "/me", call -> request(call, this::me)),
        Route.get(ROOMS, call -> request(call, this::listRooms)),
        Route.post(ROOMS, call -> request(call, user -> createRoom(user, call.body()))),
        Route.get(ROOM, call -> request(call, user -> rooms.room(user, call.id(ROOM_ID)).thenApply(ChatApi::room))),
        Route.post(ROOM + "/join", call -> request(call, user -> rooms.join(user, Optional.of(call.id(ROOM_ID)),
            Optional.empty()).thenApply(this::joined))),
        Route.post(ROOM + "/leave", call -> request(call, user -> rooms.leave(user, call.id(ROOM_ID))
            .thenApply(v -> noContent()))),
        Route.get(ROOM + "/messages", call -> request(call, user -> history(user, call))),
        Route.post(ROOM + "/messages", call -> send(call)),
        Route.get(ROOM + "/members", call -> request(call, user -> rooms.members(user, call.id(ROOM_ID))
            .thenApply(members -> json(200, Map.of("members", members(members)))))),
        Route.post(ROOM + "/members", call -> request(call, user -> {
          ObjectNode body = call.body();
          return rooms.invite(user, call.id(ROOM_ID), Fields.optionalId(body, USER_ID),
              Fields.optionalText(body, "name")).thenApply(member -> json(200, Map.of("user", member(member))));
        })),
        Route.delete(ROOM + "/members/{userId}", call -> request(call, user -> rooms.kick(user, call.id(ROOM_ID),
            call.id(USER_ID)).thenApply(v -> noContent()))),
        Route.put(ROOM + "/members/{userId}/role", call -> request(call, user -> rooms.setRole(user,
            call.id(ROOM_ID), call.id(USER_ID), Fields.role(call.body(), "role"))
            .thenApply(member -> json(200, Map.of("user", member(member)))))),
        Route.post(ROOM + "/read", call -> request(call, user -> markRead(user, call))),
        Route.post(ApiHandler.PREFIX + "/dms", call -> request(call, user -> {
          ObjectNode body = call.body();
          return rooms.openDm(user, Fields.optionalId(body, USER_ID), Fields.optionalText(body, "name"))
              .thenApply(m -> json(200, Map.of("room", Dto.room(m))));
        })));
  }

  // ---- routes ----------------------------------------------------------------------------------

  private CompletableFuture<ApiResponse> me(User user) {
    return chat.memberships(user).thenCombine(accounts.account(user.id()), (memberships, account) -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("user", self(user, account));
      out.put("rooms", memberships.stream().map(Dto::room).toList());
      return json(200, out);
    });
  }

  private Map<String, Object> self(User user, Account account) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", Long.toString(user.id()));
    out.put("name", user.name());
    account.displayName().ifPresent(d -> out.put("displayName", d));
    out.put("kind", Dto.code(user.kind()));
    out.put("serverAdmin", chat.isServerAdmin(user));
    return out;
  }

  /**
   * The rooms the user may see listed (public rooms, and private rooms it is in), then its DMs;
   * those it is in carry its membership (role, unread, read position).
   */
  private CompletableFuture<ApiResponse> listRooms(User user) {
    return rooms.list(user).thenCombine(chat.memberships(user), (listed, memberships) -> {
      Map<Long, Membership> mine = new LinkedHashMap<>();
      memberships.forEach(m -> mine.put(m.room().id(), m));
      List<Dto.RoomDto> out = new ArrayList<>();
      for (RoomService.ListedRoom l : listed) {
        Membership m = mine.remove(l.room().id());
        out.add(m != null ? Dto.room(m) : Dto.room(l.room(), l.role()));
      }
      mine.values().forEach(m -> out.add(Dto.room(m)));
      return json(200, Map.of("rooms", out));
    });
  }

  private CompletableFuture<ApiResponse> createRoom(User user, ObjectNode body) {
    return rooms.create(user, Fields.text(body, "name"), Fields.optionalText(body, "topic").orElse(""),
        Fields.optionalBool(body, "private")).thenApply(created -> {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("room", Dto.room(created.membership()));
          out.put("members", members(created.members()));
          return json(201, out, "Location", ROOMS + "/" + created.membership().room().id());
        });
  }

  private static ApiResponse room(RoomService.RoomView view) {
    return json(200, Map.of("room", view.membership().map(Dto::room)
        .orElseGet(() -> Dto.room(view.room(), Optional.empty()))));
  }

  private ApiResponse joined(RoomService.JoinedRoom joined) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("room", Dto.room(joined.membership()));
    out.put("members", members(joined.members()));
    return json(200, out);
  }

  private CompletableFuture<ApiResponse> history(User user, ApiCall call) {
    long roomId = call.id(ROOM_ID);
    Optional<Long> before = call.queryNumber("before", Long.MAX_VALUE);
    Optional<Long> after = call.queryNumber("after", Long.MAX_VALUE);
    int limit = call.queryNumber("limit", ChatService.MAX_PAGE).map(Long::intValue).orElse(DEFAULT_PAGE);
    return chat.history(user, roomId, before, after, limit).thenApply(page -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("messages", page.messages().stream().map(Dto::message).toList());
      out.put("hasMore", page.hasMore());
      return json(200, out);
    });
  }

  /** 201 once the message is committed; the same {@code clientMsgId} again answers the same message. */
  private CompletableFuture<ApiResponse> send(ApiCall call) {
    return as(call, true, user -> {
      long roomId = call.id(ROOM_ID);
      ObjectNode body = call.body();
      return chat.send(user, roomId, Fields.text(body, "text"), Fields.text(body, "clientMsgId")).thenApply(m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", Long.toString(m.id()));
        out.put("roomId", Long.toString(m.roomId()));
        out.put("seq", m.seq());
        out.put("ts", m.ts());
        return json(201, out);
      });
    });
  }

  private CompletableFuture<ApiResponse> markRead(User user, ApiCall call) {
    long roomId = call.id(ROOM_ID);
    long seq = Fields.optionalSeq(call.body(), "seq")
        .orElseThrow(() -> new ChatException(ChatException.Code.INVALID_ARGUMENT, "seq is required"));
    return chat.markRead(user, roomId, seq).thenApply(r -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("unread", r[0]);
      out.put("lastReadSeq", r[1]);
      return json(200, out);
    });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Runs {@code route} as the signed-in user, after taking one request from its rate limit. */
  private CompletableFuture<ApiResponse> request(ApiCall call, Function<User, CompletableFuture<ApiResponse>> route) {
    return as(call, false, route);
  }

  /**
   * Signs the request in (401 without a valid credential; guests have none), takes one message
   * or one request from the user's rate limit (429), then runs {@code route} as the chat user.
   * The route reads its parameters and body only then, so a request without a credential is a
   * 401 whatever else is wrong with it.
   */
  private CompletableFuture<ApiResponse> as(ApiCall call, boolean isSend,
      Function<User, CompletableFuture<ApiResponse>> route) {
    return credentials.signedIn(call.request()).thenCompose(principal -> {
      Optional<Duration> wait = isSend ? limiter.message(principal.userId()) : limiter.request(principal.userId());
      if (wait.isPresent()) {
        throw ChatException.rateLimited(isSend ? "sending too fast; retry later with the same clientMsgId"
            : "too many requests; retry later", wait.get().toMillis() + 1);
      }
      return user(principal);
    }).thenCompose(route);
  }

  /** The chat user of a signed-in account; an account gone meanwhile is no longer signed in. */
  private CompletableFuture<User> user(Principal principal) {
    return chat.account(principal.userId()).exceptionally(e -> {
      Throwable cause = ChatService.unwrap(e);
      if (cause instanceof ChatException c && c.code() == ChatException.Code.NOT_FOUND) {
        throw new ApiError(401, "unauthorized", "sign in first: the account no longer exists");
      }
      throw e instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(e);
    });
  }

  private List<Dto.UserDto> members(List<Member> members) {
    return members.stream().map(this::member).toList();
  }

  private Dto.UserDto member(Member member) {
    return Dto.member(member, online.test(member.user().id()));
  }
}
