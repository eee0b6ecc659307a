package dev.parley.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.chat.ChatException;
import dev.parley.server.chat.RoomRole;
import java.util.Optional;

/**
 * Reads request fields strictly: a field of the wrong type is an error ({@code invalid_argument}),
 * never coerced, and so is a key given twice ({@link ClientJson}). The Socket.IO gateway and the
 * HTTP API both read requests with it, so both take the same fields under the same rules.
 */
public final class Fields {
  private Fields() {}

  /** The field's value, or null when absent; a repeated key is an error. */
  public static JsonNode value(JsonNode request, String field) {
    JsonNode node = request.get(field);
    if (ClientJson.isRepeated(node)) {
      throw new ChatException(ChatException.Code.INVALID_ARGUMENT, field + " is given more than once");
    }
    return node;
  }

  public static JsonNode object(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new ChatException(ChatException.Code.INVALID_ARGUMENT, "the request must be an object");
    }
    return node;
  }

  /** An id given as a string of digits or a whole number. */
  public static Optional<Long> optionalId(JsonNode request, String field) {
    JsonNode node = value(request, field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() > 0) {
      return Optional.of(node.longValue());
    }
    if (node.isTextual() && node.textValue().matches("[0-9]{1,19}")) {
      try {
        return Optional.of(Long.parseLong(node.textValue()));
      } catch (NumberFormatException e) {
        // too large: falls through
      }
    }
    throw new ChatException(ChatException.Code.INVALID_ARGUMENT, field + " must be an id");
  }

  public static long id(JsonNode request, String field) {
    return optionalId(request, field)
        .orElseThrow(() -> new ChatException(ChatException.Code.INVALID_ARGUMENT, field + " is required"));
  }

  public static Optional<String> optionalText(JsonNode request, String field) {
    JsonNode node = value(request, field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new ChatException(ChatException.Code.INVALID_ARGUMENT, field + " must be a string");
    }
    return Optional.of(node.textValue());
  }

  public static String text(JsonNode request, String field) {
    return optionalText(request, field)
        .orElseThrow(() -> new ChatException(ChatException.Code.INVALID_ARGUMENT, field + " is required"));
  }

  public static Optional<Long> optionalSeq(JsonNode request, String field) {
    JsonNode node = value(request, field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
      return Optional.of(node.longValue());
    }
    throw new ChatException(ChatException.Code.INVALID_ARGUMENT, field + " must be a non-negative integer");
  }

  public static int limit(JsonNode request, int dflt) {
    JsonNode node = value(request, "limit");
    if (node == null || node.isNull()) {
      return dflt;
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return node.intValue();
    }
    throw new ChatException(ChatException.Code.INVALID_ARGUMENT, "limit must be an integer");
  }

  public static boolean bool(JsonNode request, String field) {
    JsonNode node = value(request, field);
    if (node == null || !node.isBoolean()) {
      throw new ChatException(ChatException.Code.INVALID_ARGUMENT, field + " must be true or false");
    }
    return node.booleanValue();
  }

  /** An optional boolean: absent or null is {@code false}. */
  public static boolean optionalBool(JsonNode request, String field) {
    JsonNode node = value(request, field);
    if (node == null || node.isNull()) {
      return false;
    }
    return bool(request, field);
  }

  /** A room role, spelled {@code owner}, {@code moderator} or {@code member}. */
  public static RoomRole role(JsonNode request, String field) {
    String text = text(request, field);
    for (RoomRole role : RoomRole.values()) {
      if (Dto.code(role).equals(text)) {
        return role;
      }
    }
    throw new ChatException(ChatException.Code.INVALID_ARGUMENT, field + " must be owner, moderator or member");
  }
}
