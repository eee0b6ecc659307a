package dev.parley.server.chat;

import static dev.parley.server.chat.Futures.async;
import static dev.parley.server.chat.Futures.failed;

import dev.parley.server.chat.RoomPolicy.Action;
import dev.parley.server.chat.RoomPolicy.Decision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms and who is in them: listing, creating, joining, leaving, direct messages, invitations,
 * removals and roles. Every request is decided by the {@link RoomPolicy} (through
 * {@link RoomAccess}) before anything changes. Storage work runs on the store executor; join and
 * leave notices go through the group-commit writer like messages. Thread-safe; never blocks the
 * caller. Made by {@link ChatService#rooms()}.
 */
public final class RoomService {
  private static final Logger log = LoggerFactory.getLogger(RoomService.class);

  /** A room with its members, as returned by a create or a join. */
  public record JoinedRoom(Membership membership, List<Member> members) {}

  /** A room in a room list, with the user's role in it when the user is a member. */
  public record ListedRoom(Room room, Optional<RoomRole> role) {
    public boolean joined() {
      return role.isPresent();
    }
  }

  /** The reason given to a member removed by someone else. */
  public static final String KICKED = "kicked";

  private static final int MAX_ROOM_NAME = 40;
  private static final int MAX_TOPIC = 200;
  private static final String NO_SUCH_USER = "no such user";
  private static final String NOT_IN_ROOM = "that user is not in the room";

  private final ChatStore store;
  private final Executor storeExecutor;
  private final MessageWriter writer;
  private final ChatEvents events;
  private final RoomAccess access;

  RoomService(ChatStore store, Executor storeExecutor, MessageWriter writer, ChatEvents events, RoomAccess access) {
    this.store = store;
    this.storeExecutor = storeExecutor;
    this.writer = writer;
    this.events = events;
    this.access = access;
  }

  // ---- finding rooms ---------------------------------------------------------------------------

  /**
   * The rooms the user may see listed, by name: every public room, and the private rooms the user
   * is in (every private room for a server admin).
   */
  public CompletableFuture<List<ListedRoom>> list(User user) {
    return async(storeExecutor, () -> {
      List<Room> candidates = new ArrayList<>(store.publicRooms());
      if (access.policy().isServerAdmin(user)) {
        candidates.addAll(store.privateRooms());
      } else {
        store.memberships(user.id()).stream().map(Membership::room)
            .filter(room -> room.kind() == Room.Kind.PRIVATE).forEach(candidates::add);
      }
      List<ListedRoom> listed = new ArrayList<>();
      for (Room room : candidates) {
        if (access.decide(user, room, Action.LIST) == Decision.ALLOW) {
          listed.add(new ListedRoom(room, access.role(user.id(), room.id())));
        }
      }
      listed.sort(Comparator.comparing((ListedRoom l) -> l.room().name().toLowerCase(Locale.ROOT))
          .thenComparing(l -> l.room().id()));
      return listed;
    });
  }

  /** A room as one user sees it: with that user's membership (role, read position, DM peer) when in it. */
  public record RoomView(Room room, Optional<Membership> membership) {}

  /**
   * One room the user may see, read fresh from the store (its newest seq and member count as of
   * now). A room hidden from the user is {@code not_found}, as a missing one.
   */
  public CompletableFuture<RoomView> room(User user, long roomId) {
    return async(storeExecutor, () -> {
      access.require(user, roomId, Action.LIST);
      Optional<Membership> mine = store.memberships(user.id()).stream()
          .filter(m -> m.room().id() == roomId).findFirst();
      if (mine.isPresent()) {
        return new RoomView(mine.get().room(), mine);
      }
      Room room = store.room(roomId).orElseThrow(() -> ChatException.notFound(RoomPolicy.NO_SUCH_ROOM));
      return new RoomView(room, Optional.empty());
    });
  }

  /** The members of a room, with their roles. */
  public CompletableFuture<List<Member>> members(User user, long roomId) {
    return async(storeExecutor, () -> {
      access.require(user, roomId, Action.SEE_MEMBERS);
      return store.roster(roomId);
    });
  }

  // ---- joining and leaving ---------------------------------------------------------------------

  /** Creates a public or private room, owned by its creator, who is its first member. */
  public CompletableFuture<JoinedRoom> create(User user, String name, String topic, boolean isPrivate) {
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
    if (cleanTopic.length() > MAX_TOPIC) {
      return failed(new ChatException(ChatException.Code.TOO_LONG, "a topic is at most 200 characters"));
    }
    Room.Kind kind = isPrivate ? Room.Kind.PRIVATE : Room.Kind.PUBLIC;
    return async(storeExecutor, () -> {
      Room room;
      try {
        room = store.createRoom(trimmed, kind, cleanTopic, user.id());
      } catch (StoreException.Conflict e) {
        throw new ChatException(ChatException.Code.CONFLICT, "a public room with that name exists");
      }
      access.remember(room);
      access.joined(user.id(), room.id(), RoomRole.OWNER);
      events.joined(user, room);
      return room;
    }).thenCompose(room -> announceJoin(user, room));
  }

  /**
   * Joins a room by id, or a public room by name. Joining a room one is in already changes
   * nothing and answers the same.
   */
  public CompletableFuture<JoinedRoom> join(User user, Optional<Long> roomId, Optional<String> name) {
    if (roomId.isEmpty() && name.isEmpty()) {
      return failed(ChatException.invalid("give roomId or name"));
    }
    return async(storeExecutor, () -> {
      Optional<Room> found = roomId.isPresent() ? access.room(roomId.get())
          : store.publicRoomByName(name.get().strip());
      Room room = found.orElseThrow(() -> ChatException.notFound(RoomPolicy.NO_SUCH_ROOM));
      access.remember(room);
      access.require(user, room, Action.JOIN);
      boolean added = store.addMember(room.id(), user.id());
      if (added) {
        access.joined(user.id(), room.id(), RoomRole.MEMBER);
        events.joined(user, room);
      }
      return new Entry(room, added);
    }).thenCompose(entry -> entry.added() ? announceJoin(user, entry.room())
        : async(storeExecutor, () -> new JoinedRoom(membershipOf(user.id(), entry.room().id()),
            store.roster(entry.room().id()))));
  }

  private record Entry(Room room, boolean added) {}

  /** Posts the join notice of a new member, then answers with the room as the member sees it. */
  private CompletableFuture<JoinedRoom> announceJoin(User user, Room room) {
    return writer.submit(new NewMessage(room.id(), user, "", Optional.empty(), Message.Kind.JOIN))
        .thenApplyAsync(notice -> new JoinedRoom(membershipOf(user.id(), room.id()), store.roster(room.id())),
            storeExecutor);
  }

  /**
   * Leaves a room (not {@code general}, not a DM). When the last owner leaves, the member in the
   * room longest, moderators first, becomes owner.
   */
  public CompletableFuture<Void> leave(User user, long roomId) {
    return async(storeExecutor, () -> access.require(user, roomId, Action.LEAVE))
        .thenCompose(room -> writer.submit(new NewMessage(roomId, user, "", Optional.empty(), Message.Kind.LEAVE))
            .thenApplyAsync(notice -> {
              Optional<ChatStore.Removal> removal = store.removeMemberKeepingOwner(roomId, user.id());
              access.left(user.id(), roomId);
              events.left(user, room);
              removal.flatMap(ChatStore.Removal::newOwner).ifPresent(owner -> promoted(owner, room));
              return null;
            }, storeExecutor));
  }

  /** The DM room between {@code user} and another user, by id or name, opened on first use. */
  public CompletableFuture<Membership> openDm(User user, Optional<Long> peerId, Optional<String> peerName) {
    if (peerId.isEmpty() && peerName.isEmpty()) {
      return failed(ChatException.invalid("give userId or name"));
    }
    return async(storeExecutor, () -> {
      User peer = findUser(peerId, peerName);
      if (peer.id() == user.id()) {
        throw ChatException.invalid("a direct message needs another user");
      }
      Room room = store.dmRoom(user.id(), peer.id());
      access.remember(room);
      boolean newForUser = access.joined(user.id(), room.id(), RoomRole.MEMBER);
      boolean newForPeer = access.joined(peer.id(), room.id(), RoomRole.MEMBER);
      Membership mine = membershipOf(user.id(), room.id());
      if (newForUser) {
        events.joined(user, room);
      }
      if (newForPeer) {
        events.joined(peer, room);
        events.roomAdded(peer, membershipOf(peer.id(), room.id()));
      }
      return mine;
    });
  }

  // ---- moderation ------------------------------------------------------------------------------

  /**
   * Makes another user a member at once (there are no pending invitations): they are told with a
   * {@code room} event and a join notice is posted. Inviting a member changes nothing.
   *
   * @return the invitee with its role in the room
   */
  public CompletableFuture<Member> invite(User user, long roomId, Optional<Long> inviteeId,
      Optional<String> inviteeName) {
    if (inviteeId.isEmpty() && inviteeName.isEmpty()) {
      return failed(ChatException.invalid("give userId or name"));
    }
    record Invitation(Room room, Member member, boolean added) {}
    return async(storeExecutor, () -> {
      Room room = access.require(user, roomId, Action.INVITE);
      User invitee = findUser(inviteeId, inviteeName);
      if (!store.addMember(room.id(), invitee.id())) {
        RoomRole role = store.role(room.id(), invitee.id()).orElse(RoomRole.MEMBER);
        return new Invitation(room, new Member(invitee, role), false);
      }
      access.joined(invitee.id(), room.id(), RoomRole.MEMBER);
      events.joined(invitee, room);
      events.roomAdded(invitee, membershipOf(invitee.id(), room.id()));
      return new Invitation(room, new Member(invitee, RoomRole.MEMBER), true);
    }).thenCompose(invitation -> invitation.added()
        ? notice(invitation.room(), invitation.member().user(), Message.Kind.JOIN).thenApply(v -> invitation.member())
        : CompletableFuture.completedFuture(invitation.member()));
  }

  /**
   * Removes another member. Their connections stop receiving the room at once and get a
   * {@code room:removed}; a leave notice is posted. When that was the last owner, the member in
   * the room longest, moderators first, becomes owner.
   */
  public CompletableFuture<Void> kick(User user, long roomId, long memberId) {
    record Kick(Room room, User target) {}
    return async(storeExecutor, () -> {
      Room room = access.require(user, roomId, Action.KICK);
      User target = store.user(memberId).orElseThrow(() -> ChatException.notFound(NO_SUCH_USER));
      RoomRole targetRole = store.role(room.id(), memberId).orElseThrow(() -> ChatException.notFound(NOT_IN_ROOM));
      RoomPolicy.require(access.policy().decideKick(user, room, access.role(user.id(), room.id()), target, targetRole),
          Action.KICK);
      ChatStore.Removal removal = store.removeMemberKeepingOwner(room.id(), memberId)
          .orElseThrow(() -> ChatException.notFound(NOT_IN_ROOM));
      access.left(memberId, room.id());
      events.removed(target, room, KICKED);
      removal.newOwner().ifPresent(owner -> promoted(owner, room));
      return new Kick(room, target);
    }).thenCompose(kick -> notice(kick.room(), kick.target(), Message.Kind.LEAVE));
  }

  /** Sets a member's role. A room's last owner keeps the role until another member has it. */
  public CompletableFuture<Member> setRole(User user, long roomId, long memberId, RoomRole role) {
    return async(storeExecutor, () -> {
      Room room = access.require(user, roomId, Action.CHANGE_ROLE);
      User target = store.user(memberId).orElseThrow(() -> ChatException.notFound(NO_SUCH_USER));
      switch (store.setRole(room.id(), memberId, role)) {
        case NOT_A_MEMBER -> throw ChatException.notFound(NOT_IN_ROOM);
        case LAST_OWNER -> throw ChatException.forbidden(
            "a room needs an owner: make another member owner first");
        case UNCHANGED -> {
          // nothing to tell
        }
        case CHANGED -> {
          access.joined(memberId, room.id(), role);
          events.roleChanged(target, membershipOf(memberId, room.id()));
        }
      }
      return new Member(target, role);
    });
  }

  /** The successor of a room's last owner takes over. */
  private void promoted(User owner, Room room) {
    access.joined(owner.id(), room.id(), RoomRole.OWNER);
    events.roleChanged(owner, membershipOf(owner.id(), room.id()));
  }

  /** Posts a join or leave notice for a change already made; a notice that cannot be stored is only logged. */
  private CompletableFuture<Void> notice(Room room, User user, Message.Kind kind) {
    return writer.submit(new NewMessage(room.id(), user, "", Optional.empty(), kind)).handle((m, error) -> {
      if (error != null) {
        log.debug("{} notice of user {} in room {} not stored: {}", kind, user.id(), room.id(), error.toString());
      }
      return null;
    });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private User findUser(Optional<Long> id, Optional<String> name) {
    Optional<User> user = id.isPresent() ? store.user(id.get()) : name.flatMap(n -> store.userByName(n.strip()));
    return user.orElseThrow(() -> ChatException.notFound(NO_SUCH_USER));
  }

  private Membership membershipOf(long userId, long roomId) {
    return store.memberships(userId).stream().filter(m -> m.room().id() == roomId).findFirst()
        .orElseThrow(() -> new StoreException("membership vanished"));
  }
}
