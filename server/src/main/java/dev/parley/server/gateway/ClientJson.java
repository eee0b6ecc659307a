package dev.parley.server.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;

/**
 * How the Socket.IO server reads what clients send. As any JSON parser, except for a key given
 * twice in one object: JSON.parse and Jackson would silently keep the last value, so a request
 * could mean one thing to a proxy or a log that reads the first and another to the server. Here
 * the key's value is {@link #REPEATED} instead, which is no JSON type, so every field reader
 * refuses it ({@code invalid_argument}), as the HTTP API refuses such a body (400), while the
 * connection stays up. Keys no handler reads may repeat harmlessly.
 */
public final class ClientJson {
  /** The value of a key that an object gives more than once. */
  static final JsonNode REPEATED = new POJONode("(a key given more than once)");

  private ClientJson() {}

  /** The mapper for {@code ServerOptions.mapper}: writes as usual, reads repeated keys as above. */
  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .addModule(new SimpleModule("parley-client-json").addDeserializer(JsonNode.class, new Reader()))
        .build();
  }

  static boolean isRepeated(JsonNode node) {
    return node == REPEATED;
  }

  /** Jackson's tree reader, with its documented hook for repeated keys overridden. */
  private static final class Reader extends JsonNodeDeserializer {
    @Override
    protected void _handleDuplicateField(JsonParser p, DeserializationContext ctxt, JsonNodeFactory nodeFactory,
        String fieldName, ObjectNode objectNode, JsonNode oldValue, JsonNode newValue) {
      objectNode.set(fieldName, REPEATED);
    }
  }
}
