package dev.parley.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of the HTTP API: bodies read strictly (a repeated key or trailing data is an error,
 * never a guess), fields read without coercion, and the answers, errors included, written as
 * docs/api.md describes them.
 */
final class ApiJson {
  static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private ApiJson() {}

  /** The body of a request as a JSON object; an empty body is an empty object. */
  static ObjectNode body(ApiRequest r) {
    if (r.body().length == 0) {
      return object();
    }
    JsonNode node;
    try {
      node = JSON.readTree(r.body());
    } catch (JsonProcessingException e) {
      throw ApiError.invalid("the body is not valid JSON");
    } catch (IOException e) {
      throw ApiError.invalid("the body cannot be read");
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiError.invalid("the body must be a JSON object");
    }
    return object;
  }

  static String text(ObjectNode body, String field) {
    return optionalText(body, field).orElseThrow(() -> ApiError.invalid(field + " is required"));
  }

  static Optional<String> optionalText(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw ApiError.invalid(field + " must be a string");
    }
    return Optional.of(value.textValue());
  }

  static Optional<Integer> optionalInt(ObjectNode body, String field, int min, int max) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
      throw ApiError.invalid(field + " must be a whole number from " + min + " to " + max);
    }
    return Optional.of(value.intValue());
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** An answer with {@code body} written as JSON (a tree, a record, a map…). */
  static ApiResponse json(int status, Object body, String... headers) {
    try {
      return new ApiResponse(status, JSON.writeValueAsBytes(body), List.of(headers));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static ApiResponse noContent() {
    return new ApiResponse(204, new byte[0], List.of());
  }

  /** An error answer: {@code {"error": {"code", "message"}}}. */
  static ApiResponse error(int status, String code, String message, String... headers) {
    ObjectNode error = object();
    error.put("code", code);
    error.put("message", message);
    return json(status, object().set("error", error), headers);
  }

  /** 429 with Retry-After in whole seconds (at least 1) and the wait in milliseconds in the body. */
  static ApiResponse tooMany(Duration wait, String message) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ObjectNode error = object();
    error.put("code", "rate_limited");
    error.put("message", message);
    error.put("retryAfterMs", Math.max(1, wait.toMillis()));
    return json(429, object().set("error", error), "Retry-After", Long.toString(seconds));
  }
}
