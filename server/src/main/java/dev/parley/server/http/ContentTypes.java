package dev.parley.server.http;

import java.util.Locale;
import java.util.Map;

/** Content types by file extension. */
final class ContentTypes {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=UTF-8"),
      Map.entry("htm", "text/html; charset=UTF-8"),
      Map.entry("js", "text/javascript; charset=UTF-8"),
      Map.entry("mjs", "text/javascript; charset=UTF-8"),
      Map.entry("css", "text/css; charset=UTF-8"),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("webp", "image/webp"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("txt", "text/plain; charset=UTF-8"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("webmanifest", "application/manifest+json"),
      Map.entry("wasm", "application/wasm"));

  private ContentTypes() {}

  static String of(String path) {
    int dot = path.lastIndexOf('.');
    int slash = path.lastIndexOf('/');
    if (dot < 0 || dot < slash) {
      return "application/octet-stream";
    }
    return TYPES.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
  }

  static boolean compressible(String contentType) {
    return contentType.startsWith("text/") || contentType.startsWith("application/json")
        || contentType.startsWith("image/svg") || contentType.startsWith("application/manifest");
  }
}
