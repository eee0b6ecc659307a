package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Access tokens: what is issued, and the forgeries and damage that verification refuses. */
@Timeout(30)
class TokenServiceTest {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static ECKey key;
  static ECKey otherKey;

  final TestClock clock = new TestClock(T0);
  final TokenService tokens = new TokenService(key, clock);

  @BeforeAll
  static void makeKeys() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("node-key").generate();
    otherKey = new ECKeyGenerator(Curve.P_256).keyID("other-key").generate();
  }

  // ---- what is issued --------------------------------------------------------------------------

  @Test
  void anIssuedTokenIsAnEs256JwtThatVerifies() throws Exception {
    TokenService.AccessToken token = tokens.issue(42, "session-1", T0.plus(Duration.ofDays(1)));

    SignedJWT jwt = SignedJWT.parse(token.value());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
    assertThat(jwt.getHeader().getKeyID()).isEqualTo("node-key");
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(TokenService.ISSUER);
    assertThat(claims.getAudience()).containsExactly(TokenService.AUDIENCE);
    assertThat(claims.getSubject()).isEqualTo("42");
    assertThat(claims.getStringClaim("sid")).isEqualTo("session-1");
    assertThat(claims.getJWTID()).isEqualTo(token.tokenId()).isNotBlank();
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(T0);
    assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(T0);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(T0.plus(Duration.ofMinutes(15)))
        .isEqualTo(token.expiresAt());

    assertThat(tokens.verify(token.value()))
        .contains(new TokenService.Verified(42, "session-1", token.tokenId(), T0.plus(Duration.ofMinutes(15))));
  }

  @Test
  void aTokenNeverOutlivesItsSession() {
    TokenService.AccessToken token = tokens.issue(42, "s", T0.plus(Duration.ofMinutes(5)));

    assertThat(token.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
  }

  @Test
  void eachTokenHasItsOwnId() {
    assertThat(tokens.issue(1, "s", T0.plus(Duration.ofDays(1))).tokenId())
        .isNotEqualTo(tokens.issue(1, "s", T0.plus(Duration.ofDays(1))).tokenId());
  }

  // ---- time ------------------------------------------------------------------------------------

  @Test
  void anExpiredTokenIsRefused() {
    String token = tokens.issue(42, "s", T0.plus(Duration.ofDays(1))).value();

    clock.advance(Duration.ofMinutes(15).plusSeconds(30));
    assertThat(tokens.verify(token)).as("within the clock skew allowed between nodes").isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(tokens.verify(token)).isEmpty();
  }

  @Test
  void aTokenFromTheFutureIsRefused() {
    TestClock ahead = new TestClock(T0.plus(Duration.ofMinutes(5)));
    String token = new TokenService(key, ahead).issue(42, "s", T0.plus(Duration.ofDays(1))).value();

    assertThat(tokens.verify(token)).isEmpty();
  }

  @Test
  void aTokenIssuedInTheFutureButAlreadyValidIsRefused() throws Exception {
    String token = sign(header().build(), claims().issueTime(Date.from(T0.plus(Duration.ofHours(1)))).build(), key);

    assertThat(tokens.verify(token)).isEmpty();
  }

  // ---- forgeries -------------------------------------------------------------------------------

  @Test
  void unsignedTokensAreRefused() {
    String claims = claims().build().toString();
    for (String alg : List.of("none", "None", "NONE", "nOnE")) {
      String header = "{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"node-key\"}";
      assertThat(tokens.verify(b64(header) + "." + b64(claims) + ".")).as(alg).isEmpty();
      assertThat(tokens.verify(b64(header) + "." + b64(claims) + "." + b64("x"))).as(alg).isEmpty();
    }
    assertThat(tokens.verify(new PlainJWT(claims().build()).serialize())).isEmpty();
  }

  @Test
  void hmacSignedWithThePublicKeyIsRefused() throws Exception {
    // The confusion attack: a verifier that picks the algorithm from the header and uses the
    // public key as an HMAC secret would accept these.
    List<byte[]> secrets = List.of(
        key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
        key.toECPublicKey().getEncoded(),
        tokens.publicKey().toJSONString().getBytes(StandardCharsets.UTF_8));
    for (byte[] secret : secrets) {
      for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
        if (secret.length * 8 < MACSigner.getMinRequiredSecretLength(alg)) {
          continue;
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(TokenService.TYPE).keyID("node-key").build(),
            claims().build());
        jwt.sign(new MACSigner(secret));
        assertThat(tokens.verify(jwt.serialize())).as(alg.getName()).isEmpty();
      }
    }
  }

  @Test
  void allZeroEcdsaSignaturesAreRefused() throws Exception {
    // CVE-2022-21449 ("psychic signatures"): r = s = 0 passed some JDKs' ECDSA check.
    String signingInput = b64(header().build().toString()) + "." + b64(claims().build().toString());
    List<String> zeroSignatures = List.of(
        Base64URL.encode(new byte[64]).toString(),                      // JOSE form: r || s
        Base64URL.encode(new byte[] {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00}).toString(), // DER
        "");
    for (String signature : zeroSignatures) {
      assertThat(tokens.verify(signingInput + "." + signature)).as(signature).isEmpty();
    }
  }

  @Test
  void otherAlgorithmsAreRefusedEvenWhenTheSignatureIsGood() throws Exception {
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("node-key").generate();
    String es384 = sign(new JWSHeader.Builder(JWSAlgorithm.ES384).type(TokenService.TYPE).keyID("node-key").build(),
        claims().build(), new ECDSASigner(p384));
    var rsa = new RSAKeyGenerator(2048).keyID("node-key").generate();
    String rs256 = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(TokenService.TYPE).keyID("node-key").build(),
        claims().build(), new RSASSASigner(rsa));

    assertThat(tokens.verify(es384)).isEmpty();
    assertThat(tokens.verify(rs256)).isEmpty();
  }

  @Test
  void theWrongIssuerOrAudienceIsRefused() {
    String otherIssuer = new TokenService(key, "someone-else", TokenService.AUDIENCE, clock)
        .issue(42, "s", T0.plus(Duration.ofDays(1))).value();
    String otherAudience = new TokenService(key, TokenService.ISSUER, "another-api", clock)
        .issue(42, "s", T0.plus(Duration.ofDays(1))).value();

    assertThat(tokens.verify(otherIssuer)).isEmpty();
    assertThat(tokens.verify(otherAudience)).isEmpty();
  }

  @Test
  void keysOtherThanThisNodesAreRefused() throws Exception {
    ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID("node-key").generate();

    assertThat(tokens.verify(sign(header().keyID("other-key").build(), claims().build(), otherKey)))
        .as("unknown kid").isEmpty();
    assertThat(tokens.verify(sign(header().keyID("node-key").build(), claims().build(), impostor)))
        .as("our kid, another key").isEmpty();
    assertThat(tokens.verify(sign(header().keyID("other-key").build(), claims().build(), key)))
        .as("our key under an unknown kid").isEmpty();
    assertThat(tokens.verify(sign(header().keyID(null).build(), claims().build(), key))).as("no kid").isEmpty();
    assertThat(tokens.verify(sign(header().build(), claims().build(), key))).as("the control").isPresent();
  }

  @Test
  void aTokenOfAnotherTypeIsRefused() throws Exception {
    assertThat(tokens.verify(sign(header().type(JOSEObjectType.JWT).build(), claims().build(), key))).isEmpty();
    assertThat(tokens.verify(sign(header().type(null).build(), claims().build(), key))).isEmpty();
  }

  @Test
  void aTokenWithoutEveryClaimIsRefused() throws Exception {
    List<Consumer<JWTClaimsSet.Builder>> damage = List.of(
        c -> c.claim("sid", null),
        c -> c.claim("sid", ""),
        c -> c.claim("sid", 7),
        c -> c.subject(null),
        c -> c.subject("not-a-number"),
        c -> c.jwtID(null),
        c -> c.expirationTime(null),
        c -> c.notBeforeTime(null),
        c -> c.issueTime(null),
        c -> c.issuer(null),
        c -> c.audience((String) null));
    for (int i = 0; i < damage.size(); i++) {
      JWTClaimsSet.Builder claims = claims();
      damage.get(i).accept(claims);
      assertThat(tokens.verify(sign(header().build(), claims.build(), key))).as("damage %d", i).isEmpty();
    }
  }

  @Test
  void aTamperedTokenIsRefused() {
    String[] ada = tokens.issue(1, "ada's", T0.plus(Duration.ofDays(1))).value().split("\\.");
    String[] bob = tokens.issue(2, "bob's", T0.plus(Duration.ofDays(1))).value().split("\\.");

    assertThat(tokens.verify(ada[0] + "." + bob[1] + "." + ada[2])).isEmpty();
    String payload = new String(Base64.getUrlDecoder().decode(ada[1]), StandardCharsets.UTF_8).replace("\"1\"", "\"2\"");
    assertThat(tokens.verify(ada[0] + "." + b64(payload) + "." + ada[2])).isEmpty();
  }

  // ---- malformed input -------------------------------------------------------------------------

  @Test
  void malformedInputIsRefusedWithoutAnException() {
    String good = tokens.issue(42, "s", T0.plus(Duration.ofDays(1))).value();
    String[] parts = good.split("\\.");
    List<String> inputs = new ArrayList<>(List.of("", ".", "..", "...", "a.b.c", "a.b", "a..c", " . . ",
        good + ".", "." + good, good + " ", good.replace('.', ','), parts[0] + ".." + parts[2],
        "%%%.%%%.%%%", "eyJ.eyJ.eyJ", b64("[]") + "." + b64("{}") + ".",
        b64("{\"alg\":7}") + "." + parts[1] + "." + parts[2],
        b64("{\"alg\":\"ES256\",\"kid\":[\"node-key\"]}") + "." + parts[1] + "." + parts[2],
        b64("{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"kid\":\"node-key\"}") + "." + parts[1] + "." + parts[2],
        b64("\"just a string\"") + "." + parts[1] + "." + parts[2],
        parts[0] + "." + b64("[1,2,3]") + "." + parts[2],
        parts[0] + "." + b64("{\"sub\":{\"$gt\":\"\"}}") + "." + parts[2],
        parts[0] + "." + b64("not json at all") + "." + parts[2],
        parts[0] + "." + parts[1] + "." + "!!!!",
        "x".repeat(TokenService.MAX_LENGTH + 1),
        b64("{".repeat(1500)) + "." + parts[1] + "." + parts[2],
        parts[0] + "." + b64("[".repeat(1500)) + "." + parts[2],
        "\u0000.\u0000.\u0000", "\uD800.\uDFFF.x"));
    inputs.add(null);
    for (String input : inputs) {
      assertThatCode(() -> assertThat(tokens.verify(input)).as(String.valueOf(input)).isEmpty())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void randomDamageToAGoodTokenIsNeverAccepted() {
    String good = tokens.issue(42, "s", T0.plus(Duration.ofDays(1))).value();
    Random random = new Random(20260301);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"";
    for (int i = 0; i < 3000; i++) {
      StringBuilder damaged = new StringBuilder(good);
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(damaged.length());
        switch (random.nextInt(3)) {
          case 0 -> damaged.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> damaged.deleteCharAt(at);
          default -> damaged.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String input = damaged.toString();
      if (input.equals(good)) {
        continue;
      }
      assertThatCode(() -> {
        // Base64url has spare bits: a change to the last character of a part may decode to the
        // same bytes, which is the same token, not a forgery.
        tokens.verify(input).ifPresent(v -> assertThat(decoded(input)).isEqualTo(decoded(good)));
      }).as(input).doesNotThrowAnyException();
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static JWSHeader.Builder header() {
    return new JWSHeader.Builder(JWSAlgorithm.ES256).type(TokenService.TYPE).keyID("node-key");
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(TokenService.ISSUER)
        .audience(TokenService.AUDIENCE)
        .subject("42")
        .claim("sid", "session-1")
        .jwtID("token-1")
        .issueTime(Date.from(T0))
        .notBeforeTime(Date.from(T0))
        .expirationTime(Date.from(T0.plus(Duration.ofMinutes(10))));
  }

  private static String sign(JWSHeader header, JWTClaimsSet claims, ECKey with) throws Exception {
    return sign(header, claims, new ECDSASigner(with));
  }

  private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The bytes of each part, so that two spellings of the same token compare equal. */
  private static List<String> decoded(String token) {
    List<String> out = new ArrayList<>();
    for (String part : token.split("\\.", -1)) {
      out.add(java.util.HexFormat.of().formatHex(new Base64URL(part).decode()));
    }
    return out;
  }
}
