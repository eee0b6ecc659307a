package dev.parley.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * A file served from memory, with its gzip and Brotli forms when they are smaller.
 *
 * @param bytes the content
 * @param gzip the gzip-compressed content, or null
 * @param brotli the Brotli-compressed content (made at build time), or null
 * @param contentType its Content-Type
 * @param cacheControl its Cache-Control
 */
record Asset(byte[] bytes, byte[] gzip, byte[] brotli, String contentType, String cacheControl) {
  static Asset of(byte[] bytes, String path, String cacheControl) {
    String type = ContentTypes.of(path);
    byte[] gzip = null;
    if (ContentTypes.compressible(type) && bytes.length > 256) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
      try (GZIPOutputStream z = new GZIPOutputStream(out)) {
        z.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (out.size() < bytes.length) {
        gzip = out.toByteArray();
      }
    }
    return new Asset(bytes, gzip, null, type, cacheControl);
  }

  /** This asset with a Brotli form, kept only if smaller. */
  Asset withBrotli(byte[] br) {
    return br != null && br.length < bytes.length ? new Asset(bytes, gzip, br, contentType, cacheControl) : this;
  }
}
