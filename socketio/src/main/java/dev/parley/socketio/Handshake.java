package dev.parley.socketio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the client presented when it connected to a namespace.
 *
 * @param headers request headers of the Engine.IO handshake, names in lower case, repeated values
 *     joined with ", "
 * @param query query parameters of the handshake request (first value of each)
 * @param address the client's address as the server sees it
 * @param time when the Engine.IO session was opened
 * @param secure whether the connection used TLS
 * @param url the handshake request's path and query
 * @param auth the {@code auth} payload of the CONNECT packet ({@code {}} when there was none)
 */
public record Handshake(
    Map<String, String> headers,
    Map<String, String> query,
    InetSocketAddress address,
    Instant time,
    boolean secure,
    String url,
    ObjectNode auth) {

  public Handshake {
    // Packed: every socket keeps its handshake for as long as it is connected.
    headers = PackedStringMap.copyOf(headers);
    query = PackedStringMap.copyOf(query);
  }

  /** A header by its name, in any case. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
  }

  /** A query parameter by its name. */
  public Optional<String> queryParam(String name) {
    return Optional.ofNullable(query.get(name));
  }
}
