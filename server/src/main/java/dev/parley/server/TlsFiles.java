package dev.parley.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Reads the PEM files of {@code --tls-cert} and {@code --tls-key} into the server's TLS context,
 * at startup, so that a missing, unreadable or garbled file, or a key that is not the
 * certificate's, stops the server with a message naming the file, instead of failing every
 * handshake later.
 */
final class TlsFiles {
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----");

  /** A TLS file that cannot be used; the message names it and says why. */
  static final class InvalidTlsFileException extends RuntimeException {
    InvalidTlsFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private TlsFiles() {}

  /** The server context for {@code files}, with the JDK's TLS or OpenSSL when it is on the class path. */
  static SslContext serverContext(Config.Tls files) {
    List<X509Certificate> chain = certificates(files.certificate());
    PrivateKey key = privateKey(files.privateKey(), chain.get(0).getPublicKey().getAlgorithm());
    checkPair(key, chain.get(0), files);
    try {
      return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new)).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new InvalidTlsFileException("cannot use --tls-cert " + files.certificate() + " with --tls-key "
          + files.privateKey() + ": " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(Path file) {
    byte[] pem = read(file, "--tls-cert");
    try {
      List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem)).stream()
          .map(X509Certificate.class::cast)
          .toList();
      if (!chain.isEmpty()) {
        return chain;
      }
    } catch (CertificateException e) {
      throw invalid("--tls-cert", file, "not a PEM certificate (-----BEGIN CERTIFICATE-----): " + e.getMessage(), e);
    }
    throw invalid("--tls-cert", file, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)", null);
  }

  private static PrivateKey privateKey(Path file, String algorithm) {
    String pem = new String(read(file, "--tls-key"), StandardCharsets.US_ASCII);
    Matcher m = PRIVATE_KEY.matcher(pem);
    if (!m.find()) {
      Matcher other = OTHER_KEY.matcher(pem);
      String found = other.find() ? "holds a " + other.group(1) + ", " : "holds no PEM private key, ";
      throw invalid("--tls-key", file, found + "expected an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); "
          + "convert it with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW", null);
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw invalid("--tls-key", file, "not a readable " + algorithm + " private key, the kind of the certificate's: "
          + e.getMessage(), e);
    }
  }

  /** Signs with the key and verifies with the certificate: the two must be one pair. */
  private static void checkPair(PrivateKey key, X509Certificate certificate, Config.Tls files) {
    Optional<String> algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> Optional.of("SHA256withRSA");
      case "EC" -> Optional.of("SHA256withECDSA");
      case "EdDSA", "Ed25519", "Ed448" -> Optional.of("EdDSA");
      default -> Optional.empty();  // no cheap check known for it; the handshake will tell
    };
    if (algorithm.isEmpty()) {
      return;
    }
    byte[] probe = "parley tls key check".getBytes(StandardCharsets.US_ASCII);
    boolean pair;
    try {
      Signature signer = Signature.getInstance(algorithm.get());
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm.get());
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      pair = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      pair = false;
    }
    if (!pair) {
      throw invalid("--tls-key", files.privateKey(), "not the key of the certificate in " + files.certificate(), null);
    }
  }

  private static byte[] read(Path file, String option) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw invalid(option, file, "no such file", e);
    } catch (AccessDeniedException e) {
      throw invalid(option, file, "not allowed to read it", e);
    } catch (IOException e) {
      throw invalid(option, file, "cannot read it: " + e.getMessage(), e);
    }
  }

  private static InvalidTlsFileException invalid(String option, Path file, String why, Throwable cause) {
    return new InvalidTlsFileException(option + " " + file + ": " + why, cause);
  }
}
