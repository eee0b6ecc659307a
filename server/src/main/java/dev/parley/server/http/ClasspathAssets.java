package dev.parley.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Files packed in the jar under a folder, loaded into memory once at startup. Files under
 * {@code assets/} carry a content hash in their names and are cached for good; everything else
 * is revalidated on each use. A {@code name.br} file made by the build is the Brotli form of
 * {@code name}, not a file of its own.
 */
final class ClasspathAssets {
  private final Map<String, Asset> files;

  private ClasspathAssets(Map<String, Asset> files) {
    this.files = files;
  }

  /** The files under classpath folder {@code root} (for example {@code "public"}), by URL path. */
  static ClasspathAssets load(String root, String urlPrefix) {
    Map<String, Asset> files = new HashMap<>();
    ClassLoader loader = ClasspathAssets.class.getClassLoader();
    try {
      Enumeration<URL> urls = loader.getResources(root);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        if ("jar".equals(url.getProtocol())) {
          JarURLConnection connection = (JarURLConnection) url.openConnection();
          connection.setUseCaches(false);
          try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
              JarEntry entry = entries.nextElement();
              String name = entry.getName();
              if (!entry.isDirectory() && name.startsWith(root + "/")) {
                try (InputStream in = jar.getInputStream(entry)) {
                  put(files, urlPrefix + name.substring(root.length() + 1), in.readAllBytes());
                }
              }
            }
          }
        } else if ("file".equals(url.getProtocol())) {
          Path dir = Path.of(url.toURI());
          try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
              String rel = dir.relativize(file).toString().replace('\\', '/');
              put(files, urlPrefix + rel, Files.readAllBytes(file));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the packed files under " + root, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Asset> served = new HashMap<>();
    files.forEach((path, asset) -> {
      if (!path.endsWith(".br")) {
        Asset br = files.get(path + ".br");
        served.put(path, br == null ? asset : asset.withBrotli(br.bytes()));
      }
    });
    return new ClasspathAssets(Map.copyOf(served));
  }

  private static void put(Map<String, Asset> files, String path, byte[] bytes) {
    String cache = path.contains("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    files.putIfAbsent(path, path.endsWith(".br") ? new Asset(bytes, null, null, "application/octet-stream", cache)
        : Asset.of(bytes, path, cache));
  }

  Optional<Asset> get(String path) {
    return Optional.ofNullable(files.get(path));
  }

  boolean isEmpty() {
    return files.isEmpty();
  }
}
