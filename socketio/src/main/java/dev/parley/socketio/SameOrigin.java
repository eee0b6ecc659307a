package dev.parley.socketio;

import java.util.Locale;

/**
 * Tells whether a browser's {@code Origin} is the server itself: the page was loaded from the
 * host and port the request is addressed to ({@code Host} header), with the scheme the server
 * speaks (https under TLS, http otherwise). Ports left out mean the scheme's default, so
 * {@code https://chat.example} and {@code Host: chat.example:443} are the same place.
 */
final class SameOrigin {
  private SameOrigin() {}

  /** Whether {@code origin} is the origin of a server reached as {@code host}, over TLS if {@code secure}. */
  static boolean matches(String origin, String host, boolean secure) {
    if (origin == null || host == null) {
      return false;
    }
    String scheme = secure ? "https://" : "http://";
    if (!origin.regionMatches(true, 0, scheme, 0, scheme.length())) {
      return false;
    }
    int defaultPort = secure ? 443 : 80;
    Authority page = Authority.parse(origin.substring(scheme.length()), defaultPort);
    Authority server = Authority.parse(host.strip(), defaultPort);
    return page != null && page.equals(server);
  }

  /** A host (lower case, IPv6 in brackets) and a port. */
  private record Authority(String host, int port) {
    /** Parses {@code host[:port]}; null if it is not one (a path, user info, a bad port…). */
    static Authority parse(String text, int defaultPort) {
      if (text.isEmpty() || text.chars().anyMatch(c -> c == '/' || c == '@' || c == '?' || c == '#' || c <= ' ')) {
        return null;
      }
      int hostEnd = text.startsWith("[") ? text.indexOf(']') + 1 : text.indexOf(':');
      if (hostEnd == 0) {
        return null;
      }
      if (hostEnd < 0) {
        hostEnd = text.length();
      }
      String host = text.substring(0, hostEnd).toLowerCase(Locale.ROOT);
      String rest = text.substring(hostEnd);
      if (host.isEmpty()) {
        return null;
      }
      if (rest.isEmpty()) {
        return new Authority(host, defaultPort);
      }
      if (!rest.startsWith(":") || rest.length() == 1 || rest.length() > 6) {
        return null;
      }
      int port = 0;
      for (int i = 1; i < rest.length(); i++) {
        char c = rest.charAt(i);
        if (c < '0' || c > '9') {
          return null;
        }
        port = port * 10 + (c - '0');
      }
      return port > 65535 ? null : new Authority(host, port);
    }
  }
}
