package dev.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.chat.RoomPolicy.Action;
import dev.parley.server.chat.RoomPolicy.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every decision of {@link RoomPolicy}, as tables: room kind × standing × action. */
class RoomPolicyTest {
  private static final User ADMIN = new User(1, "root", User.Kind.GUEST);
  private static final User USER = new User(2, "ada", User.Kind.GUEST);
  private static final User OTHER = new User(3, "bob", User.Kind.GUEST);
  private static final RoomPolicy POLICY = new RoomPolicy(user -> user.id() == ADMIN.id());

  private static final Map<String, Room> ROOMS = Map.of(
      "public", new Room(10, "random", Room.Kind.PUBLIC, "", 0, 3),
      "general", new Room(1, Room.GENERAL, Room.Kind.PUBLIC, "", 0, 3),
      "private", new Room(11, "plans", Room.Kind.PRIVATE, "", 0, 3),
      "dm", new Room(12, "dm:2:3", Room.Kind.DM, "", 0, 2));

  /**
   * Who asks: not a member; a member, moderator or owner; a server admin who is not a member; a
   * server admin who is a plain member.
   */
  private static final List<String> STANDINGS = List.of("outsider", "member", "moderator", "owner", "admin",
      "admin member");

  /**
   * One line per room kind and action: the decision for each standing, in {@link #STANDINGS}
   * order. A = allow, F = forbidden, N = not found.
   */
  private static final String TABLE = """
      room     action       out mem mod own adm a+m
      public   LIST         A   A   A   A   A   A
      public   SEE_MEMBERS  A   A   A   A   A   A
      public   READ         F   A   A   A   F   A
      public   RECEIVE      F   A   A   A   F   A
      public   SEND         F   A   A   A   F   A
      public   TYPE         F   A   A   A   F   A
      public   JOIN         A   A   A   A   A   A
      public   LEAVE        F   A   A   A   F   A
      public   INVITE       F   F   A   A   A   A
      public   KICK         F   F   A   A   A   A
      public   CHANGE_ROLE  F   F   F   A   A   A
      general  LIST         A   A   A   A   A   A
      general  SEE_MEMBERS  A   A   A   A   A   A
      general  READ         F   A   A   A   F   A
      general  RECEIVE      F   A   A   A   F   A
      general  SEND         F   A   A   A   F   A
      general  TYPE         F   A   A   A   F   A
      general  JOIN         A   A   A   A   A   A
      general  LEAVE        F   F   F   F   F   F
      general  INVITE       F   F   A   A   A   A
      general  KICK         F   F   F   F   F   F
      general  CHANGE_ROLE  F   F   F   A   A   A
      private  LIST         N   A   A   A   A   A
      private  SEE_MEMBERS  N   A   A   A   A   A
      private  READ         N   A   A   A   F   A
      private  RECEIVE      N   A   A   A   F   A
      private  SEND         N   A   A   A   F   A
      private  TYPE         N   A   A   A   F   A
      private  JOIN         N   A   A   A   A   A
      private  LEAVE        N   A   A   A   F   A
      private  INVITE       N   F   A   A   A   A
      private  KICK         N   F   A   A   A   A
      private  CHANGE_ROLE  N   F   F   A   A   A
      dm       LIST         N   A   A   A   N   A
      dm       SEE_MEMBERS  N   A   A   A   N   A
      dm       READ         N   A   A   A   N   A
      dm       RECEIVE      N   A   A   A   N   A
      dm       SEND         N   A   A   A   N   A
      dm       TYPE         N   A   A   A   N   A
      dm       JOIN         N   A   A   A   N   A
      dm       LEAVE        N   F   F   F   N   F
      dm       INVITE       N   F   F   F   N   F
      dm       KICK         N   F   F   F   N   F
      dm       CHANGE_ROLE  N   F   F   F   N   F
      """;

  static Stream<Arguments> decisions() {
    List<Arguments> cases = new ArrayList<>();
    List<String> lines = TABLE.lines().skip(1).toList();
    for (String line : lines) {
      String[] cells = line.trim().split("\\s+");
      for (int i = 0; i < STANDINGS.size(); i++) {
        cases.add(Arguments.of(cells[0], STANDINGS.get(i), Action.valueOf(cells[1]), decision(cells[2 + i])));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} room, {1}: {2} -> {3}")
  @MethodSource("decisions")
  void decides(String room, String standing, Action action, Decision expected) {
    User user = standing.startsWith("admin") ? ADMIN : USER;
    assertThat(POLICY.decide(user, ROOMS.get(room), role(standing), action)).isEqualTo(expected);
  }

  @Test
  void theTableCoversEveryRoomKindAndAction() {
    assertThat(decisions()).hasSize(ROOMS.size() * Action.values().length * STANDINGS.size());
  }

  /**
   * Removing a member by the remover's standing (rows) and the member's role (columns); removing
   * oneself is never a kick.
   */
  private static final String KICKS = """
      room     by           member moderator owner self
      public   moderator    A      F         F     F
      public   owner        A      A         A     F
      public   admin        A      A         A     F
      public   member       F      F         F     F
      public   outsider     F      F         F     F
      private  moderator    A      F         F     F
      private  owner        A      A         A     F
      private  admin        A      A         A     F
      private  member       F      F         F     F
      private  outsider     N      N         N     N
      general  admin        F      F         F     F
      dm       member       F      F         F     F
      dm       admin        N      N         N     N
      """;

  static Stream<Arguments> kicks() {
    List<Arguments> cases = new ArrayList<>();
    List<String> columns = List.of("member", "moderator", "owner", "self");
    for (String line : KICKS.lines().skip(1).toList()) {
      String[] cells = line.trim().split("\\s+");
      for (int i = 0; i < columns.size(); i++) {
        cases.add(Arguments.of(cells[0], cells[1], columns.get(i), decision(cells[2 + i])));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} room: {1} removes {2} -> {3}")
  @MethodSource("kicks")
  void decidesKicks(String room, String by, String target, Decision expected) {
    User actor = by.equals("admin") ? ADMIN : USER;
    User member = target.equals("self") ? actor : OTHER;
    RoomRole targetRole = target.equals("self") ? role(by).orElse(RoomRole.MEMBER)
        : RoomRole.valueOf(target.toUpperCase(java.util.Locale.ROOT));
    assertThat(POLICY.decideKick(actor, ROOMS.get(room), role(by), member, targetRole)).isEqualTo(expected);
  }

  @Test
  void byDefaultNobodyIsAServerAdmin() {
    RoomPolicy plain = new RoomPolicy();
    assertThat(plain.isServerAdmin(ADMIN)).isFalse();
    assertThat(plain.decide(ADMIN, ROOMS.get("private"), Optional.empty(), Action.LIST)).isEqualTo(Decision.NOT_FOUND);
  }

  @Test
  void aHiddenRoomIsRefusedExactlyLikeAMissingOne() {
    assertThatThrownBy(() -> RoomPolicy.require(Decision.NOT_FOUND, Action.READ))
        .isInstanceOf(ChatException.class).hasMessage(RoomPolicy.NO_SUCH_ROOM)
        .extracting(e -> ((ChatException) e).code()).isEqualTo(ChatException.Code.NOT_FOUND);
    assertThatThrownBy(() -> RoomPolicy.require(Decision.FORBIDDEN, Action.SEND))
        .isInstanceOf(ChatException.class)
        .extracting(e -> ((ChatException) e).code()).isEqualTo(ChatException.Code.FORBIDDEN);
  }

  private static Optional<RoomRole> role(String standing) {
    return switch (standing) {
      case "member", "admin member" -> Optional.of(RoomRole.MEMBER);
      case "moderator" -> Optional.of(RoomRole.MODERATOR);
      case "owner" -> Optional.of(RoomRole.OWNER);
      default -> Optional.empty();
    };
  }

  private static Decision decision(String code) {
    return switch (code) {
      case "A" -> Decision.ALLOW;
      case "F" -> Decision.FORBIDDEN;
      case "N" -> Decision.NOT_FOUND;
      default -> throw new IllegalArgumentException("not a decision: " + code);
    };
  }
}
