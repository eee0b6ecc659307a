package dev.parley.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * The requests of docs/protocol.md that the chat scenarios make while setting up (rooms), and
 * the sessions of their clients. Both the chat server and the peer's chat mode answer them the
 * same way: {@code {ok: true, room: {id, lastSeq, ...}}} or {@code {ok: false, error: {code,
 * message}}}.
 */
final class ChatRequests {
  /** The chat server's namespace. */
  static final String NAMESPACE = "/chat";

  /** A room as a join or create answered it. */
  record ChatRoom(String id, long lastSeq) {}

  private ChatRequests() {}

  /** Sessions of {@code /chat} named {@code prefix + index}. */
  static IntFunction<NamespaceSession> sessions(String prefix, boolean tracksRecovery) {
    return i -> NamespaceSession.of(NAMESPACE, Map.of("name", prefix + i), tracksRecovery);
  }

  /** {@code room:create {name}}. */
  static CompletableFuture<ChatRoom> create(BenchClient client, String name, ObjectMapper mapper) {
    return client.emitWithAck("room:create", "{\"name\":" + Json.quote(name) + "}")
        .thenApply(args -> room("room:create " + name, args, mapper));
  }

  /** {@code room:join {name}}. */
  static CompletableFuture<ChatRoom> joinByName(BenchClient client, String name, ObjectMapper mapper) {
    return client.emitWithAck("room:join", "{\"name\":" + Json.quote(name) + "}")
        .thenApply(args -> room("room:join " + name, args, mapper));
  }

  /** {@code room:join {roomId}}. */
  static CompletableFuture<ChatRoom> joinById(BenchClient client, String roomId, ObjectMapper mapper) {
    return client.emitWithAck("room:join", "{\"roomId\":" + Json.quote(roomId) + "}")
        .thenApply(args -> room("room:join " + roomId, args, mapper));
  }

  /** The room of a successful answer; fails with the answer otherwise. */
  static ChatRoom room(String request, String argsJson, ObjectMapper mapper) {
    JsonNode answer;
    try {
      answer = mapper.readTree(argsJson).path(0);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(request + " answered with something that is not JSON: " + argsJson, e);
    }
    JsonNode room = answer.path("room");
    if (!answer.path("ok").asBoolean(false) || !room.path("id").isTextual()) {
      throw new IllegalStateException(request + " failed: " + argsJson);
    }
    return new ChatRoom(room.path("id").textValue(), room.path("lastSeq").asLong(-1));
  }
}
