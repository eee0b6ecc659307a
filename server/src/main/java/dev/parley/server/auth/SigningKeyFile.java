package dev.parley.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that signs access tokens, kept as a JWK (JSON) file: generated on first start (EC P-256,
 * for ES256, its id the key's thumbprint), read on later starts. The folder and the file are made
 * readable by the owner only. Every node that must accept the others' tokens needs the same file.
 */
public final class SigningKeyFile {
  private static final Logger log = LoggerFactory.getLogger(SigningKeyFile.class);
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private SigningKeyFile() {}

  /** Where the key lives inside a data directory. */
  public static Path in(Path dataDir) {
    return dataDir.resolve("keys").resolve("jwt-signing.json");
  }

  /**
   * The key in {@code file}, made and saved first if the file does not exist.
   *
   * @throws UncheckedIOException if the file cannot be read or written
   * @throws IllegalStateException if the file does not hold an EC P-256 private key
   */
  public static ECKey loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      return load(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the token signing key " + file + ": " + e.getMessage(), e);
    }
  }

  /** A new EC P-256 signing key with its thumbprint as key id. */
  public static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
          .keyIDFromThumbprint(true).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("this JVM cannot make an EC P-256 key: " + e.getMessage(), e);
    }
  }

  /**
   * The key a JWK text holds; {@code where} names its source in errors.
   *
   * @throws IllegalStateException if it is not an EC P-256 private key with a key id
   */
  public static ECKey parse(String json, String where) {
    JWK jwk;
    try {
      jwk = JWK.parse(json);
    } catch (ParseException e) {
      throw new IllegalStateException("the token signing key " + where + " is not a JWK: " + e.getMessage(), e);
    }
    if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || !ec.isPrivate() || ec.getKeyID() == null) {
      throw new IllegalStateException("the token signing key " + where + " must be an EC P-256 private key with a"
          + " key id (kid); move it away to have a new one made");
    }
    return ec;
  }

  private static void create(Path file) throws IOException {
    ECKey key = generate();
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
          : new FileAttribute<?>[0]);
    }
    // Written beside the target, then linked in whole: a crash never leaves half a key behind,
    // and of two processes starting at once the second finds and uses the first one's key.
    Path temp = dir.resolve(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    Files.deleteIfExists(temp);
    if (posix) {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
    } else {
      Files.createFile(temp);
    }
    try {
      Files.writeString(temp, key.toJSONString(), StandardCharsets.UTF_8);
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        return;
      } catch (UnsupportedOperationException e) {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    log.info("Made a new token signing key in {}", file);
  }

  private static ECKey load(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_FILE.containsAll(permissions)) {
        log.warn("The token signing key {} is readable by others ({}): chmod 600 it",
            file, PosixFilePermissions.toString(permissions));
      }
    }
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }
}
