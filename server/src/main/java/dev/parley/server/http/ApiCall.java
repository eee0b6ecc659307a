package dev.parley.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request matched to its route: the request, the values of the route's path parameters, and
 * strict readers for both and for the query. A malformed id or number is a 400, never a 500 and
 * never a guess. Immutable.
 */
final class ApiCall {
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

  private final ApiRequest request;
  private final Map<String, String> params;

  ApiCall(ApiRequest request, Map<String, String> params) {
    this.request = request;
    this.params = Map.copyOf(params);
  }

  ApiRequest request() {
    return request;
  }

  /** The body as a JSON object (an empty body is an empty object); 400 when it is anything else. */
  ObjectNode body() {
    return ApiJson.body(request);
  }

  /** The path parameter {@code name} as an id: a positive whole number that fits in 64 bits. */
  long id(String name) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalStateException("the route has no parameter " + name);
    }
    return parseId(value).orElseThrow(() -> ApiError.invalid(name + " must be an id (digits, at most 19)"));
  }

  /** The path parameter {@code name} when it matches {@code format}; 400 saying it must be {@code what} otherwise. */
  String param(String name, Pattern format, String what) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalStateException("the route has no parameter " + name);
    }
    if (!format.matcher(value).matches()) {
      throw ApiError.invalid(name + " must be " + what);
    }
    return value;
  }

  private static Optional<Long> parseId(String value) {
    if (!DIGITS.matcher(value).matches()) {
      return Optional.empty();
    }
    try {
      long id = Long.parseLong(value);
      return id > 0 ? Optional.of(id) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The query parameter {@code name}, if given; 400 when it is given more than once or the query is malformed. */
  Optional<String> query(String name) {
    Map<String, List<String>> parameters;
    try {
      parameters = new QueryStringDecoder(request.query(), StandardCharsets.UTF_8, false).parameters();
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("the query is malformed: " + e.getMessage());
    }
    List<String> values = parameters.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw ApiError.invalid(name + " is given more than once");
    }
    return values.stream().findFirst();
  }

  /** The query parameter {@code name} as a whole number from 0 to {@code max}, if given. */
  Optional<Long> queryNumber(String name, long max) {
    Optional<String> value = query(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String text = value.get();
    if (DIGITS.matcher(text).matches()) {
      try {
        long number = Long.parseLong(text);
        if (number <= max) {
          return Optional.of(number);
        }
      } catch (NumberFormatException e) {
        // too large: refused below
      }
    }
    throw ApiError.invalid(name + " must be a whole number from 0 to " + max);
  }
}
