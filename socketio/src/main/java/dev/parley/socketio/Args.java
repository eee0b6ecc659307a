package dev.parley.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The arguments of an event or an acknowledgement, as received from a client.
 *
 * <p>Each argument is a Jackson {@link JsonNode}; binary attachments arrive as
 * {@link com.fasterxml.jackson.databind.node.BinaryNode}s in the place of their placeholders.
 * Accessors never return {@code null}: a missing argument is a {@link MissingNode}.
 * Instances are immutable views and may be passed between threads.
 */
public final class Args implements Iterable<JsonNode> {
  private final List<JsonNode> values;
  private final ObjectMapper mapper;

  Args(List<JsonNode> values, ObjectMapper mapper) {
    this.values = List.copyOf(values);
    this.mapper = mapper;
  }

  /** Arguments that arrived some other way, e.g. from another server of a cluster. */
  public static Args of(List<JsonNode> values, ObjectMapper mapper) {
    return new Args(values, mapper);
  }

  static Args of(ArrayNode array, int from, ObjectMapper mapper) {
    List<JsonNode> list = new ArrayList<>(Math.max(0, array.size() - from));
    for (int i = from; i < array.size(); i++) {
      list.add(array.get(i));
    }
    return new Args(list, mapper);
  }

  /** Number of arguments. */
  public int size() {
    return values.size();
  }

  /** Whether there is no argument at all. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The argument at {@code index}, or a {@link MissingNode} past the end. */
  public JsonNode get(int index) {
    return index >= 0 && index < values.size() ? values.get(index) : MissingNode.getInstance();
  }

  /** The argument at {@code index} if it is a JSON string; empty otherwise. */
  public java.util.Optional<String> text(int index) {
    JsonNode node = get(index);
    return node.isTextual() ? java.util.Optional.of(node.textValue()) : java.util.Optional.empty();
  }

  /** The argument at {@code index} if it is a binary attachment; empty otherwise. */
  public java.util.Optional<byte[]> bytes(int index) {
    JsonNode node = get(index);
    return node.isBinary() ? java.util.Optional.of(((com.fasterxml.jackson.databind.node.BinaryNode) node).binaryValue())
        : java.util.Optional.empty();
  }

  /**
   * Binds the argument at {@code index} to {@code type} with the server's object mapper.
   *
   * @throws IllegalArgumentException if the argument is missing or does not fit the type
   */
  public <T> T as(int index, Class<T> type) {
    JsonNode node = get(index);
    if (node.isMissingNode()) {
      throw new IllegalArgumentException("argument " + index + " is missing");
    }
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("argument " + index + " is not a " + type.getSimpleName(), e);
    }
  }

  /** All arguments as an unmodifiable list. */
  public List<JsonNode> list() {
    return values;
  }

  @Override
  public Iterator<JsonNode> iterator() {
    return values.iterator();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
