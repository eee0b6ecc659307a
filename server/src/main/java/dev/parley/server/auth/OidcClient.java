package dev.parley.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * This server as a client of one OpenID Connect provider, through Nimbus's SDK: discovery
 * ({@code /.well-known/openid-configuration}, whose issuer must be the configured one), the
 * authorization request (code flow, PKCE S256, state, nonce), the token request and the ID token's
 * checks (signature by a key of the provider's JWKS, issuer, audience, expiry, issue time, nonce).
 *
 * <p>Every method may do HTTP to the provider and blocks: call it on the executor for provider
 * calls, never on an event loop. Discovery is kept for an hour and used longer while the provider
 * cannot be reached; the JWKS is cached and fetched again for an unknown key id. Thread-safe.
 */
final class OidcClient {
  static final int TIMEOUT_MILLIS = 5_000;
  static final Duration DISCOVERY_TTL = Duration.ofHours(1);
  static final int CLOCK_SKEW_SECONDS = 60;
  /** Asymmetric signatures only: a client secret is no key to check an ID token with here. */
  private static final Set<JWSAlgorithm> ALGORITHMS = Stream.of(JWSAlgorithm.Family.RSA, JWSAlgorithm.Family.EC,
      JWSAlgorithm.Family.ED).flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

  /** What discovery found, with the validator built on it. */
  private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator, Instant at) {}

  private final OidcProvider provider;
  private final Clock clock;
  /** Null until the first discovery succeeds; replaced whole, never changed in place. */
  private volatile Discovered discovered;

  OidcClient(OidcProvider provider, Clock clock) {
    this.provider = provider;
    this.clock = clock;
  }

  OidcProvider provider() {
    return provider;
  }

  /** Where to send the browser to sign in. */
  URI authorizationUri(URI redirectUri, String state, String nonce, String codeVerifier) {
    OIDCProviderMetadata metadata = discover().metadata();
    return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE),
        new Scope(provider.scopes().toArray(String[]::new)), new ClientID(provider.clientId()), redirectUri)
        .endpointURI(metadata.getAuthorizationEndpointURI())
        .state(new State(state))
        .nonce(new Nonce(nonce))
        .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256)
        .build()
        .toURI();
  }

  /** Exchanges an authorization code and returns the checked claims of the ID token. */
  IDTokenClaimsSet exchange(String code, URI redirectUri, String codeVerifier, String nonce) {
    Discovered d = discover();
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
        new CodeVerifier(codeVerifier));
    URI endpoint = d.metadata().getTokenEndpointURI();
    TokenRequest request = provider.clientSecret()
        .map(secret -> new TokenRequest(endpoint, authentication(d.metadata(), secret), grant, null))
        .orElseGet(() -> new TokenRequest(endpoint, new ClientID(provider.clientId()), grant, null));
    HTTPRequest http = request.toHTTPRequest();
    http.setConnectTimeout(TIMEOUT_MILLIS);
    http.setReadTimeout(TIMEOUT_MILLIS);
    TokenResponse response;
    try {
      response = OIDCTokenResponseParser.parse(http.send());
    } catch (IOException e) {
      throw unavailable("its token endpoint does not answer (" + e.getMessage() + ")");
    } catch (ParseException e) {
      throw new OidcException(OidcException.Reason.INVALID_TOKEN, provider.name() + "'s token answer cannot be read");
    }
    if (!response.indicatesSuccess()) {
      TokenErrorResponse error = response.toErrorResponse();
      String errorCode = error.getErrorObject() == null ? "unknown" : error.getErrorObject().getCode();
      throw new OidcException(OidcException.Reason.INVALID_TOKEN, provider.name() + " refused the code: " + errorCode);
    }
    var idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
    if (idToken == null) {
      throw new OidcException(OidcException.Reason.INVALID_TOKEN, provider.name() + " sent no ID token");
    }
    try {
      return d.validator().validate(idToken, new Nonce(nonce));
    } catch (BadJOSEException | JOSEException | RuntimeException e) {
      throw new OidcException(OidcException.Reason.INVALID_TOKEN,
          "the ID token from " + provider.name() + " failed its checks: " + e.getMessage());
    }
  }

  private ClientAuthentication authentication(OIDCProviderMetadata metadata, String secret) {
    List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
    boolean postOnly = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
    ClientID id = new ClientID(provider.clientId());
    return postOnly ? new ClientSecretPost(id, new Secret(secret)) : new ClientSecretBasic(id, new Secret(secret));
  }

  /** The provider's metadata, fetched if there is none or it is older than an hour. */
  private Discovered discover() {
    Discovered current = discovered;
    Instant now = clock.instant();
    if (current != null && current.at().plus(DISCOVERY_TTL).isAfter(now)) {
      return current;
    }
    try {
      OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(provider.issuer().toString()),
          TIMEOUT_MILLIS, TIMEOUT_MILLIS);
      Discovered fresh = new Discovered(metadata, validator(metadata), now);
      discovered = fresh;
      return fresh;
    } catch (IOException | GeneralException | RuntimeException e) {
      if (current != null) {
        return current;
      }
      throw unavailable("its configuration cannot be read (" + e.getMessage() + ")");
    }
  }

  private IDTokenValidator validator(OIDCProviderMetadata metadata) throws MalformedURLException {
    if (metadata.getJWKSetURI() == null) {
      throw new IllegalStateException("the configuration names no jwks_uri");
    }
    JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
        new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
        .retrying(true)
        .build();
    Set<JWSAlgorithm> offered = new HashSet<>(ALGORITHMS);
    if (metadata.getIDTokenJWSAlgs() != null) {
      offered.retainAll(metadata.getIDTokenJWSAlgs());
    }
    IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(provider.clientId()),
        new JWSVerificationKeySelector<>(offered.isEmpty() ? Set.of(JWSAlgorithm.RS256) : offered, keys), null);
    validator.setMaxClockSkew(CLOCK_SKEW_SECONDS);
    return validator;
  }

  private OidcException unavailable(String why) {
    return new OidcException(OidcException.Reason.PROVIDER_UNAVAILABLE, provider.name() + " cannot be reached: " + why);
  }
}
