package dev.parley.server.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A folder of the user's own static files served at {@code /}, the way the tutorial's Express
 * server serves {@code public/}. Paths are resolved inside the folder only: no {@code ..}, no
 * symbolic link leading out of it. Reads block: call from a worker thread, never an event loop.
 */
final class PublicDirectory {
  private static final long MAX_FILE = 64L * 1024 * 1024;

  private final Path root;

  PublicDirectory(Path root) throws IOException {
    this.root = root.toRealPath();
  }

  /** The file for a URL path, if it exists inside the folder. */
  Optional<Asset> get(String urlPath) throws IOException {
    String rel = urlPath.startsWith("/") ? urlPath.substring(1) : urlPath;
    if (rel.isEmpty() || rel.endsWith("/")) {
      rel = rel + "index.html";
    }
    if (rel.contains("\0") || rel.contains("\\")) {
      return Optional.empty();
    }
    Path candidate = root.resolve(rel).normalize();
    if (!candidate.startsWith(root)) {
      return Optional.empty();
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!real.startsWith(root)) {
      return Optional.empty();
    }
    if (Files.isDirectory(real)) {
      real = real.resolve("index.html");
      if (!Files.isRegularFile(real)) {
        return Optional.empty();
      }
    }
    if (!Files.isRegularFile(real) || Files.size(real) > MAX_FILE) {
      return Optional.empty();
    }
    return Optional.of(Asset.of(Files.readAllBytes(real), real.getFileName().toString(), "no-cache"));
  }
}
