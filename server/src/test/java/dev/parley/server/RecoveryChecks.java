package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the recovery scenarios (recovery.js, recovery-restart.js) must show, checked one way. */
final class RecoveryChecks {
  private RecoveryChecks() {}

  /**
   * The end of recovery-restart.js, once the test let bob come back: he got his socket back
   * ({@code socket.recovered}, the same id), dropped once, and {@link #missedOnceInOrderThenNew}.
   */
  static void recoveredAfterTheRestart(NodeScript script) throws Exception {
    JsonNode reconnected = script.expect("reconnected");
    JsonNode result = script.expect("result");
    script.awaitSuccess();

    assertThat(reconnected.get("recovered").asBoolean()).as("socket.recovered: %s", reconnected).isTrue();
    assertThat(reconnected.get("id").asText()).as("the same socket").isEqualTo(reconnected.get("firstId").asText());
    assertThat(result.get("disconnects")).hasSize(1);

    missedOnceInOrderThenNew(result);
  }

  /**
   * The scenario's {@code result}: the client got exactly the messages it missed, in the order
   * they were sent, once, then the new ones ({@code after}, then its {@code own}); nothing of the
   * room it is not in ({@code side}); each room in seq order; and no new {@code session} event.
   */
  static void missedOnceInOrderThenNew(JsonNode result) {
    List<String> expected = new ArrayList<>();
    result.get("missed").forEach(ack -> expected.add(ack.get("id").asText()));
    expected.add(result.at("/after/id").asText());
    expected.add(result.at("/own/id").asText());
    List<String> got = new ArrayList<>();
    Map<String, Long> lastSeqPerRoom = new HashMap<>();
    for (JsonNode m : result.get("messages")) {
      got.add(m.get("id").asText());
      String room = m.get("roomId").asText();
      assertThat(room).as("nothing of a room the client is not in").isNotEqualTo(result.get("side").asText());
      Long last = lastSeqPerRoom.put(room, m.get("seq").asLong());
      if (last != null) {
        assertThat(m.get("seq").asLong()).as("in seq order in room %s: %s", room, m).isEqualTo(last + 1);
      }
    }
    assertThat(got).as("the missed messages in the order they were sent, once, then the new ones")
        .containsExactlyElementsOf(expected);
    List<String> events = new ArrayList<>();
    result.get("events").forEach(e -> events.add(e.asText()));
    assertThat(events).as("a recovered session gets no new 'session' event").doesNotContain("session");
  }
}
