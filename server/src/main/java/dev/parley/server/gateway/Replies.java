package dev.parley.server.gateway;

import dev.parley.server.chat.ChatException;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.StoreException;
import dev.parley.socketio.Ack;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the outcome of a request into its acknowledgement: {@code {ok:true,...}} or an error. */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  static Map<String, Object> ok() {
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("ok", true);
    return reply;
  }

  static Map<String, Object> ok(String key, Object value) {
    Map<String, Object> reply = ok();
    reply.put(key, value);
    return reply;
  }

  static Map<String, Object> error(ChatException.Code code, String message) {
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("ok", false);
    reply.put("error", Map.of("code", code.wire(), "message", message));
    return reply;
  }

  static Map<String, Object> error(ChatException e) {
    if (e.retryAfterMillis() <= 0) {
      return error(e.code(), e.getMessage());
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("ok", false);
    reply.put("error", Map.of("code", e.code().wire(), "message", e.getMessage(), "retryAfterMs", e.retryAfterMillis()));
    return reply;
  }

  /** Answers {@code ack} when {@code future} completes, mapping failures to error codes. */
  static <T> void reply(Ack ack, CompletableFuture<T> future, Function<T, Map<String, Object>> success) {
    future.whenComplete((value, error) -> {
      if (error == null) {
        Map<String, Object> reply;
        try {
          reply = success.apply(value);
        } catch (RuntimeException e) {
          log.error("cannot build a reply", e);
          reply = error(ChatException.Code.INTERNAL, "internal error");
        }
        ack.send(reply);
      } else {
        ack.send(failure(error));
      }
    });
  }

  static Map<String, Object> failure(Throwable error) {
    Throwable cause = ChatService.unwrap(error);
    if (cause instanceof ChatException e) {
      return error(e);
    }
    if (cause instanceof StoreException.Unavailable e) {
      log.warn("store unavailable: {}", e.getMessage());
      return error(ChatException.Code.UNAVAILABLE, "the database cannot be reached; retry later");
    }
    if (cause instanceof StoreException e) {
      log.warn("store failure: {}", e.getMessage());
      return error(ChatException.Code.INTERNAL, "the server could not do that now; retry later");
    }
    log.error("request failed", cause);
    return error(ChatException.Code.INTERNAL, "internal error");
  }

  static void invalid(Ack ack, String message) {
    ack.send(error(ChatException.Code.INVALID_ARGUMENT, message));
  }
}
