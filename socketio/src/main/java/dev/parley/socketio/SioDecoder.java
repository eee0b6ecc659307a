package dev.parley.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses Socket.IO v5 packets ({@code <type>[<attachments>-][<nsp>,][<id>][<json>]}) the way the
 * reference parser does, and puts binary attachments back in place of their placeholders.
 * Stateless and thread-safe; the per-connection state of a binary packet waiting for its
 * attachments lives in {@link Client}.
 */
final class SioDecoder {
  /** Event names a client may not send: they mean something to the server itself. */
  private static final Set<String> RESERVED_EVENTS =
      Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

  private final ObjectReader reader;
  private final int maxAttachments;

  SioDecoder(ObjectMapper mapper, int maxAttachments) {
    this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.maxAttachments = maxAttachments;
  }

  SioPacket decode(String str) throws ProtocolException {
    int len = str.length();
    if (len == 0) {
      throw new ProtocolException("empty packet");
    }
    int type = str.charAt(0) - '0';
    if (type < SioPacket.CONNECT || type > SioPacket.BINARY_ACK) {
      throw new ProtocolException("unknown packet type");
    }
    int i = 1;
    int attachments = 0;
    if (type == SioPacket.BINARY_EVENT || type == SioPacket.BINARY_ACK) {
      int start = i;
      while (i < len && str.charAt(i) != '-') {
        char c = str.charAt(i);
        if (c < '0' || c > '9' || i - start > 6) {
          throw new ProtocolException("illegal attachments");
        }
        i++;
      }
      if (i == start || i == len) {
        throw new ProtocolException("illegal attachments");
      }
      attachments = Integer.parseInt(str, start, i, 10);
      if (attachments < 1) {
        // As socket.io-parser 4.2: a binary packet without attachments would skip the placeholder checks.
        throw new ProtocolException("illegal attachments");
      }
      if (attachments > maxAttachments) {
        throw new ProtocolException("too many attachments");
      }
      i++;
    }
    String nsp = "/";
    if (i < len && str.charAt(i) == '/') {
      int start = i;
      while (i < len && str.charAt(i) != ',') {
        i++;
      }
      nsp = str.substring(start, i);
      if (i < len) {
        i++;
      }
    }
    long id = -1;
    if (i < len && isDigit(str.charAt(i))) {
      int start = i;
      while (i < len && isDigit(str.charAt(i))) {
        i++;
      }
      if (i - start > 15) {
        throw new ProtocolException("invalid ack id");
      }
      id = Long.parseLong(str, start, i, 10);
    }
    JsonNode data = null;
    if (i < len) {
      try {
        data = reader.readTree(str.substring(i));
      } catch (JsonProcessingException e) {
        throw new ProtocolException("invalid payload");
      }
      if (data == null || data.isMissingNode()) {
        throw new ProtocolException("invalid payload");
      }
    }
    if (!isPayloadValid(type, data)) {
      throw new ProtocolException("invalid payload");
    }
    return new SioPacket(type, nsp, id, data, attachments);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isPayloadValid(int type, JsonNode data) {
    return switch (type) {
      case SioPacket.CONNECT -> data == null || data.isObject();
      case SioPacket.DISCONNECT -> data == null;
      case SioPacket.CONNECT_ERROR -> data != null && (data.isTextual() || data.isObject());
      case SioPacket.EVENT, SioPacket.BINARY_EVENT -> data != null && data.isArray() && !data.isEmpty()
          && (data.get(0).isNumber() || (data.get(0).isTextual() && !RESERVED_EVENTS.contains(data.get(0).textValue())));
      case SioPacket.ACK, SioPacket.BINARY_ACK -> data != null && data.isArray();
      default -> false;
    };
  }

  /**
   * Replaces each {@code {"_placeholder":true,"num":n}} in {@code data} with attachment n.
   *
   * @throws ProtocolException if a placeholder's num is not an integer below the number of
   *     attachments
   */
  static JsonNode reconstruct(JsonNode data, List<byte[]> attachments) throws ProtocolException {
    if (isPlaceholder(data)) {
      return BinaryNode.valueOf(attachments.get(placeholderIndex(data, attachments.size())));
    }
    if (data instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode child = array.get(i);
        if (child.isContainerNode()) {
          array.set(i, reconstruct(child, attachments));
        }
      }
    } else if (data instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().isContainerNode()) {
          field.setValue(reconstruct(field.getValue(), attachments));
        }
      }
    }
    return data;
  }

  private static boolean isPlaceholder(JsonNode node) {
    return node.isObject() && node.path("_placeholder").asBoolean(false) && node.path("_placeholder").isBoolean();
  }

  private static int placeholderIndex(JsonNode placeholder, int count) throws ProtocolException {
    JsonNode num = placeholder.get("num");
    if (num == null || !num.canConvertToExactIntegral() || !num.canConvertToInt()) {
      throw new ProtocolException("illegal attachment placeholder");
    }
    int n = num.intValue();
    if (n < 0 || n >= count) {
      throw new ProtocolException("illegal attachment placeholder");
    }
    return n;
  }
}
