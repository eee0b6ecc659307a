package dev.parley.server.chat;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who may do what in which room: the one place that decides it. Every request the chat serves and
 * every live event it sends asks here, from the user, the room and the user's role in it (empty
 * when not a member).
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>A room the user cannot see does not exist for them: a private room they are not in (unless
 *       they are a server admin) and a DM they are not in (server admins included) answer
 *       {@link Decision#NOT_FOUND} to everything, exactly like an unknown id, so that neither its
 *       existence nor its name leaks.
 *   <li>Anyone who sees a room may find it in lists, see its members and join it (a public room;
 *       a private room only as a server admin, everyone else is invited).
 *   <li>Reading, receiving, writing and typing take membership; a non-member is
 *       {@link Decision#FORBIDDEN} (public rooms, and private rooms for a server admin who has not
 *       joined: moderation is done in the open, never by reading along unseen).
 *   <li>Members leave, except from {@code general} and from DMs.
 *   <li>Owners and moderators invite; they remove members (a moderator only plain members, an
 *       owner anyone but themself). Owners set roles. Server admins may do all of this in any
 *       public or private room. Nobody invites to, removes from or sets roles in a DM, and nobody
 *       is removed from {@code general}, which every user is in.
 * </ol>
 *
 * <p>Immutable and thread-safe; never blocks (the admin predicate must not either).
 */
public final class RoomPolicy {
  /** What a user may try to do in a room. */
  public enum Action {
    /** See the room in room lists and searches. */
    LIST,
    /** See who is in it. */
    SEE_MEMBERS,
    /** Read its history, catch up on it, move a read position in it. */
    READ,
    /** Receive its live events: messages, typing, presence and member notices. */
    RECEIVE,
    /** Post a message. */
    SEND,
    /** Say one is typing. */
    TYPE,
    /** Become a member without being invited. */
    JOIN,
    /** Stop being a member. */
    LEAVE,
    /** Make another user a member. */
    INVITE,
    /** Remove another member (see {@link #decideKick}). */
    KICK,
    /** Set a member's role. */
    CHANGE_ROLE
  }

  /** The answer to a request, with the protocol's error for a refusal. */
  public enum Decision {
    ALLOW,
    /** The user sees the room but may not do this: {@code forbidden}. */
    FORBIDDEN,
    /** The room is hidden from the user: {@code not_found}, as for a room that does not exist. */
    NOT_FOUND
  }

  /** The message of every {@code not_found} about a room, so a hidden room reads like a missing one. */
  static final String NO_SUCH_ROOM = "no such room";

  private final Predicate<User> serverAdmin;

  /** A policy under which nobody is a server admin. */
  public RoomPolicy() {
    this(user -> false);
  }

  /**
   * A policy with server admins.
   *
   * @param serverAdmin whether a user is a server admin: may moderate every public and private
   *     room, and never sees DMs it is not in. Called often; must be cheap and must not block.
   */
  public RoomPolicy(Predicate<User> serverAdmin) {
    this.serverAdmin = Objects.requireNonNull(serverAdmin, "serverAdmin");
  }

  /** Whether {@code user} is a server admin. */
  public boolean isServerAdmin(User user) {
    return serverAdmin.test(user);
  }

  /**
   * Whether {@code user}, whose role in {@code room} is {@code role} (empty when not a member),
   * may do {@code action} there. For {@link Action#KICK} this is whether it may remove anyone at
   * all; {@link #decideKick} decides for a given member.
   */
  public Decision decide(User user, Room room, Optional<RoomRole> role, Action action) {
    boolean member = role.isPresent();
    boolean admin = room.kind() != Room.Kind.DM && serverAdmin.test(user);
    if (!member && !admin && room.kind() != Room.Kind.PUBLIC) {
      return Decision.NOT_FOUND;
    }
    boolean dm = room.kind() == Room.Kind.DM;
    boolean runsRoom = admin || role.filter(r -> r != RoomRole.MEMBER).isPresent();
    boolean owns = admin || role.filter(r -> r == RoomRole.OWNER).isPresent();
    boolean allowed = switch (action) {
      case LIST, SEE_MEMBERS, JOIN -> true;
      case READ, RECEIVE, SEND, TYPE -> member;
      case LEAVE -> member && !dm && !room.isGeneral();
      case INVITE -> !dm && runsRoom;
      case KICK -> !dm && !room.isGeneral() && runsRoom;
      case CHANGE_ROLE -> !dm && owns;
    };
    return allowed ? Decision.ALLOW : Decision.FORBIDDEN;
  }

  /**
   * Whether {@code actor} may remove {@code target}, a member of {@code room} with role
   * {@code targetRole}: a server admin or an owner may remove anyone but themself, a moderator only
   * plain members. Nobody removes themself this way: they leave.
   */
  public Decision decideKick(User actor, Room room, Optional<RoomRole> actorRole, User target, RoomRole targetRole) {
    Decision may = decide(actor, room, actorRole, Action.KICK);
    if (may != Decision.ALLOW) {
      return may;
    }
    if (actor.id() == target.id()) {
      return Decision.FORBIDDEN;
    }
    boolean owns = serverAdmin.test(actor) || actorRole.filter(r -> r == RoomRole.OWNER).isPresent();
    return owns || targetRole == RoomRole.MEMBER ? Decision.ALLOW : Decision.FORBIDDEN;
  }

  /** Throws the protocol's error for {@code decision} about {@code action}; returns if allowed. */
  static void require(Decision decision, Action action) {
    switch (decision) {
      case ALLOW -> {
        // go ahead
      }
      case NOT_FOUND -> throw ChatException.notFound(NO_SUCH_ROOM);
      case FORBIDDEN -> throw ChatException.forbidden(refusal(action));
    }
  }

  private static String refusal(Action action) {
    return switch (action) {
      case READ, RECEIVE, SEND, TYPE -> "you are not in that room";
      case LEAVE -> "you cannot leave this room";
      case INVITE -> "only the room's owners and moderators can invite to it";
      case KICK -> "you cannot remove that member from this room";
      case CHANGE_ROLE -> "only the room's owners can change roles";
      case LIST, SEE_MEMBERS, JOIN -> "you cannot do that in this room";
    };
  }
}
