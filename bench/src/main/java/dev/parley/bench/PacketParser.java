package dev.parley.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns the text of one WebSocket message into an {@link Inbound} packet.
 *
 * <p>This is the general path, used for control packets and in tests. Broadcast events, which
 * arrive a million times a second, skip it: the client hands their raw bytes to
 * {@link PayloadScanner} instead.
 */
public final class PacketParser {
  private final ObjectMapper mapper;

  public PacketParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Parses one Engine.IO packet.
   *
   * @throws MalformedPacketException if the text is not a packet this generator understands
   */
  public Inbound parse(String text) {
    if (text.isEmpty()) {
      throw new MalformedPacketException("empty packet");
    }
    return switch (text.charAt(0)) {
      case '0' -> open(text.substring(1));
      case '1' -> new Inbound.Close();
      case '2' -> new Inbound.Ping();
      case '4' -> socketIo(text);
      case '6' -> new Inbound.Noop();
      default -> new Inbound.Unsupported(text);
    };
  }

  private Inbound open(String json) {
    JsonNode node = readTree(json);
    JsonNode sid = node.path("sid");
    if (!sid.isTextual()) {
      throw new MalformedPacketException("open packet without sid: " + json);
    }
    return new Inbound.Open(sid.textValue(), node.path("pingInterval").asLong(0),
        node.path("pingTimeout").asLong(0), node.path("maxPayload").asLong(0));
  }

  private Inbound socketIo(String text) {
    if (text.length() < 2) {
      throw new MalformedPacketException("Engine.IO message without a Socket.IO packet");
    }
    char type = text.charAt(1);
    String rest = text.substring(2);
    String namespace = "/";
    if (rest.startsWith("/")) {
      // "/nsp," then the rest; a namespace alone (no comma) is a packet without data.
      int comma = rest.indexOf(',');
      namespace = comma < 0 ? rest : rest.substring(0, comma);
      rest = comma < 0 ? "" : rest.substring(comma + 1);
    }
    return switch (type) {
      case '0' -> connected(namespace, rest);
      case '1' -> new Inbound.Disconnected(namespace);
      case '2' -> event(namespace, rest);
      case '3' -> ack(namespace, rest);
      case '4' -> new Inbound.ConnectError(namespace, rest);
      default -> new Inbound.Unsupported(text);
    };
  }

  private Inbound connected(String namespace, String json) {
    JsonNode node = readTree(json);
    JsonNode sid = node.path("sid");
    if (!sid.isTextual()) {
      throw new MalformedPacketException("CONNECT without sid: " + json);
    }
    JsonNode pid = node.path("pid");
    return new Inbound.Connected(namespace, sid.textValue(),
        pid.isTextual() ? Optional.of(pid.textValue()) : Optional.empty());
  }

  private Inbound event(String namespace, String rest) {
    int digits = leadingDigits(rest);
    OptionalLong ackId = digits == 0 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(rest.substring(0, digits)));
    JsonNode array = readTree(rest.substring(digits));
    if (!array.isArray() || array.isEmpty() || !array.get(0).isTextual()) {
      throw new MalformedPacketException("event without a name: " + rest);
    }
    ArrayNode args = mapper.createArrayNode();
    for (int i = 1; i < array.size(); i++) {
      args.add(array.get(i));
    }
    return new Inbound.Event(namespace, ackId, array.get(0).textValue(), args.toString());
  }

  private Inbound ack(String namespace, String rest) {
    int digits = leadingDigits(rest);
    if (digits == 0) {
      throw new MalformedPacketException("ACK without an id: " + rest);
    }
    String args = rest.substring(digits);
    if (!readTree(args).isArray()) {
      throw new MalformedPacketException("ACK arguments are not an array: " + rest);
    }
    return new Inbound.Ack(namespace, Long.parseLong(rest.substring(0, digits)), args);
  }

  private static int leadingDigits(String s) {
    int i = 0;
    while (i < s.length() && i < 18 && Character.isDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private JsonNode readTree(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedPacketException("not JSON: " + json, e);
    }
  }
}
