package dev.parley.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Issues and verifies access tokens: JWTs signed with ES256 by the node's {@link SigningKeyFile
 * key}, typed {@code at+jwt}, naming the key ({@code kid}), the issuer and audience, the user
 * ({@code sub}), the web session they were issued for ({@code sid}), their own id ({@code jti})
 * and {@code iat}/{@code nbf}/{@code exp}. They live {@link #ACCESS_TOKEN_LIFETIME 15 minutes},
 * never past their session.
 *
 * <p>Verification goes through nimbus's {@link DefaultJWTProcessor} with ES256 as the only
 * algorithm, so {@code alg: none}, HMAC signed with the public key and other algorithm swaps are
 * refused before any signature is looked at; the key must be this node's by {@code kid}. Whether
 * the session is still live is for {@link AccountService} to check. Thread-safe.
 */
public final class TokenService {
  /** Who issues the tokens ({@code iss}). */
  public static final String ISSUER = "parley";
  /** Who they are for ({@code aud}). */
  public static final String AUDIENCE = "parley-api";
  public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(15);
  static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
  /** Longer input is refused unread; real tokens are about 500 characters. */
  static final int MAX_LENGTH = 4096;
  /** A compact JWS, strictly: three base64url parts, no padding, nothing else. */
  private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  /** How far the clocks of two nodes may disagree. */
  static final int CLOCK_SKEW_SECONDS = 60;

  /**
   * An access token.
   *
   * @param value the compact JWT to send as {@code Authorization: Bearer …}
   * @param tokenId its {@code jti}
   * @param expiresAt its {@code exp}
   */
  public record AccessToken(String value, String tokenId, Instant expiresAt) {}

  /** What a valid access token says. */
  public record Verified(long userId, String sessionId, String tokenId, Instant expiresAt) {}

  private final ECKey publicKey;
  private final String keyId;
  private final ECDSASigner signer;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final String issuer;
  private final String audience;
  private final Clock clock;

  public TokenService(ECKey signingKey, Clock clock) {
    this(signingKey, ISSUER, AUDIENCE, clock);
  }

  public TokenService(ECKey signingKey, String issuer, String audience, Clock clock) {
    Objects.requireNonNull(signingKey, "signingKey");
    this.keyId = Objects.requireNonNull(signingKey.getKeyID(), "the signing key needs a key id (kid)");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.publicKey = signingKey.toPublicJWK();
    try {
      this.signer = new ECDSASigner(signingKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
    }
    processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPE));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
        new ImmutableJWKSet<>(new JWKSet(publicKey))));
    processor.setJWTClaimsSetVerifier(new ClaimsVerifier());
  }

  /** The public half of the signing key, for a JWKS document or another verifier. */
  public ECKey publicKey() {
    return publicKey;
  }

  /** A new access token for a user's web session, expiring in 15 minutes or at {@code notAfter}. */
  public AccessToken issue(long userId, String sessionId, Instant notAfter) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expires = now.plus(ACCESS_TOKEN_LIFETIME);
    if (notAfter.isBefore(expires)) {
      expires = notAfter.truncatedTo(ChronoUnit.SECONDS);
    }
    String tokenId = Secrets.random(16);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(audience)
        .subject(Long.toString(userId))
        .claim("sid", sessionId)
        .jwtID(tokenId)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(expires))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).keyID(keyId).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token: " + e.getMessage(), e);
    }
    return new AccessToken(jwt.serialize(), tokenId, expires);
  }

  /**
   * What {@code token} says if it is a valid, current access token of this node; empty for
   * anything else, whatever the input. Never throws.
   */
  public Optional<Verified> verify(String token) {
    if (token == null || token.length() > MAX_LENGTH || !COMPACT.matcher(token).matches()) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!keyId.equals(jwt.getHeader().getKeyID())) {
        return Optional.empty();
      }
      JWTClaimsSet claims = processor.process(jwt, null);
      long userId = Long.parseLong(claims.getSubject());
      String sessionId = claims.getStringClaim("sid");
      if (sessionId == null || sessionId.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Verified(userId, sessionId, claims.getJWTID(), claims.getExpirationTime().toInstant()));
    } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
      // Malformed, forged, expired or someone else's: all the same to the caller.
      return Optional.empty();
    }
  }

  /** Whether {@code credential} has the shape of a compact JWS: three parts joined by dots. */
  public static boolean looksLikeJwt(String credential) {
    return credential.chars().filter(c -> c == '.').count() == 2;
  }

  /** nimbus's claim checks, on this service's clock, plus an issue time that is not in the future. */
  private final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
    ClaimsVerifier() {
      super(Set.of(audience), new JWTClaimsSet.Builder().issuer(issuer).build(),
          Set.of("sub", "sid", "jti", "iat", "nbf", "exp"), Set.of());
      setMaxClockSkew(CLOCK_SKEW_SECONDS);
    }

    @Override
    protected Date currentTime() {
      return Date.from(clock.instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
      super.verify(claims, context);
      Date issued = claims.getIssueTime();
      if (issued == null || issued.toInstant().isAfter(clock.instant().plusSeconds(CLOCK_SKEW_SECONDS))) {
        throw new BadJWTException("the token was issued in the future");
      }
    }
  }
}
