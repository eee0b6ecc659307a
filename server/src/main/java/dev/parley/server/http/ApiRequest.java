package dev.parley.server.http;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One HTTP request to the JSON API, read whole: what {@link AuthApi} needs of it, without Netty.
 *
 * @param method the method, upper case
 * @param path the decoded path, without the query
 * @param query the query as sent, still encoded, without the {@code ?}; empty when none (routes
 *     that read it decode it, and refuse it when it does not decode)
 * @param headers header values by lower-case name; a repeated header holds its first value, but
 *     repeated {@code Cookie} headers are joined with {@code "; "}
 * @param body the body, at most {@link ApiHandler#MAX_BODY} bytes
 * @param remote the client's address as the server sees it; null when unknown
 */
public record ApiRequest(String method, String path, String query, Map<String, String> headers,
    byte[] body, InetSocketAddress remote) {
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Whether the method may change state (anything but GET, HEAD and OPTIONS). */
  public boolean changesState() {
    return !SAFE_METHODS.contains(method);
  }
}
