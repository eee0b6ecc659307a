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
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.parley.server.chat.StoreException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Sign-in through OpenID Connect providers: {@link #start} makes the provider's sign-in address
 * and a flow, {@link #finish} checks the provider's answer against that flow, exchanges the code,
 * and signs in to the account linked to the person's (issuer, subject), making one on the first
 * sign-in.
 *
 * <p>The flow (provider, state, nonce, PKCE verifier, redirect URI) travels in a cookie of the
 * browser that started it, as a JWT signed with the server's signing key, typed
 * {@code oidc-flow+jwt} and living {@link #FLOW_LIFETIME 10 minutes}: nothing is kept on the
 * server, any node can finish what another started, and an answer the browser did not ask for
 * (another browser's, or one made up) fails the state check. A new account is named after the
 * person's {@code preferred_username}, email or name, made unique; it is never linked to an
 * existing account by its name or email, which the provider does not prove are the same person's.
 *
 * <p>Provider calls run on {@code providerExecutor}, database work on {@code storeExecutor}.
 * Failures are {@link OidcException}s. Thread-safe.
 */
public final class OidcSignIn {
  public static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
  static final JOSEObjectType FLOW_TYPE = new JOSEObjectType("oidc-flow+jwt");
  private static final String FLOW_AUDIENCE = "parley-oidc-flow";
  private static final int MAX_FLOW_LENGTH = 4096;
  private static final int MAX_NAME_TRIES = 20;

  private final Map<String, OidcClient> clients = new LinkedHashMap<>();
  private final IdentityStore identities;
  private final AccountService accounts;
  private final Executor providerExecutor;
  private final Executor storeExecutor;
  private final Clock clock;
  private final String keyId;
  private final ECDSASigner signer;
  private final DefaultJWTProcessor<SecurityContext> flows;

  /**
   * @param signingKey the key flows are signed with (the server's token key; flows are typed
   *     apart from access tokens)
   */
  public OidcSignIn(List<OidcProvider> providers, IdentityStore identities, AccountService accounts,
      Executor providerExecutor, Executor storeExecutor, ECKey signingKey, Clock clock) {
    providers.forEach(p -> clients.put(p.id(), new OidcClient(p, clock)));
    this.identities = Objects.requireNonNull(identities, "identities");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.providerExecutor = Objects.requireNonNull(providerExecutor, "providerExecutor");
    this.storeExecutor = Objects.requireNonNull(storeExecutor, "storeExecutor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.keyId = Objects.requireNonNull(signingKey.getKeyID(), "the signing key needs a key id (kid)");
    try {
      this.signer = new ECDSASigner(signingKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
    }
    flows = new DefaultJWTProcessor<>();
    flows.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(FLOW_TYPE));
    flows.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
        new ImmutableJWKSet<>(new JWKSet(signingKey.toPublicJWK()))));
    flows.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(FLOW_AUDIENCE), null,
        Set.of("prv", "st", "nn", "cv", "ru", "exp"), Set.of()) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    });
  }

  /** A sign-in to start: where to send the browser, and the flow to keep in its cookie. */
  public record Started(URI authorizationUri, String flow) {}

  /** The configured providers, in the order given. */
  public List<OidcProvider> providers() {
    return clients.values().stream().map(OidcClient::provider).toList();
  }

  /** Starts a sign-in with a provider; the provider will send the browser to {@code redirectUri}. */
  public CompletableFuture<Started> start(String providerId, URI redirectUri) {
    OidcClient client = clients.get(providerId);
    if (client == null) {
      return CompletableFuture.failedFuture(unknown(providerId));
    }
    String state = Secrets.random(32);
    String nonce = Secrets.random(32);
    String verifier = Secrets.random(48);
    return on(providerExecutor, () -> {
      URI to = client.authorizationUri(redirectUri, state, nonce, verifier);
      return new Started(to, seal(providerId, state, nonce, verifier, redirectUri));
    });
  }

  /**
   * Finishes a sign-in: {@code callbackQuery} is the raw query the provider sent the browser back
   * with, {@code flow} the value of the flow cookie (null when the browser sent none).
   */
  public CompletableFuture<AccountService.SignedIn> finish(String providerId, String callbackQuery, String flow,
      String userAgent) {
    OidcClient client = clients.get(providerId);
    if (client == null) {
      return CompletableFuture.failedFuture(unknown(providerId));
    }
    String code;
    JWTClaimsSet expected;
    try {
      expected = unseal(providerId, flow);
      URI redirect = URI.create(expected.getStringClaim("ru"));
      code = answer(client, redirect, callbackQuery, expected.getStringClaim("st"));
    } catch (java.text.ParseException | IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new OidcException(OidcException.Reason.INVALID_STATE,
          "the sign-in cannot be matched to one this browser started"));
    } catch (OidcException e) {
      return CompletableFuture.failedFuture(e);
    }
    JWTClaimsSet flowClaims = expected;
    return on(providerExecutor, () -> {
      try {
        return client.exchange(code, URI.create(flowClaims.getStringClaim("ru")), flowClaims.getStringClaim("cv"),
            flowClaims.getStringClaim("nn"));
      } catch (java.text.ParseException e) {
        throw new OidcException(OidcException.Reason.INVALID_STATE, "the sign-in flow is unreadable");
      }
    }).thenCompose(claims -> on(storeExecutor, () -> signIn(claims, userAgent)));
  }

  /** The code in the provider's answer, once it is known to answer this browser's own request. */
  private static String answer(OidcClient client, URI redirect, String query, String state) {
    AuthenticationResponse response;
    try {
      response = AuthenticationResponseParser.parse(URI.create(redirect + "?" + (query == null ? "" : query)));
    } catch (ParseException | IllegalArgumentException e) {
      throw new OidcException(OidcException.Reason.INVALID_STATE,
          "the answer from " + client.provider().name() + " cannot be read");
    }
    if (response.getState() == null || !MessageDigest.isEqual(response.getState().getValue()
        .getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
      throw new OidcException(OidcException.Reason.INVALID_STATE,
          "the answer does not belong to a sign-in this browser started");
    }
    if (!response.indicatesSuccess()) {
      AuthenticationErrorResponse error = response.toErrorResponse();
      String code = error.getErrorObject() == null ? "an error" : error.getErrorObject().getCode();
      throw new OidcException(OidcException.Reason.DENIED, client.provider().name() + " did not sign you in (" + code
          + ")");
    }
    if (response.toSuccessResponse().getAuthorizationCode() == null) {
      throw new OidcException(OidcException.Reason.INVALID_TOKEN, client.provider().name() + " sent no code");
    }
    return response.toSuccessResponse().getAuthorizationCode().getValue();
  }

  /** The linked account, made on the first sign-in, and a new web session for it. Blocks. */
  private AccountService.SignedIn signIn(IDTokenClaimsSet claims, String userAgent) {
    String issuer = claims.getIssuer().getValue();
    String subject = claims.getSubject().getValue();
    Account account = identities.accountByIdentity(issuer, subject).orElseGet(() -> create(claims));
    if (!account.active()) {
      throw new OidcException(OidcException.Reason.ACCOUNT_DISABLED, "this account is deactivated");
    }
    return accounts.openSession(account, userAgent);
  }

  private Account create(IDTokenClaimsSet claims) {
    String issuer = claims.getIssuer().getValue();
    String subject = claims.getSubject().getValue();
    Optional<String> email = Optional.ofNullable(claims.getStringClaim("email"))
        .filter(e -> Boolean.TRUE.equals(claims.getBooleanClaim("email_verified")))
        .filter(e -> e.length() <= AccountRules.MAX_EMAIL && !AccountRules.hasControl(e));
    Optional<String> display = Optional.ofNullable(claims.getStringClaim("name")).map(String::strip)
        .filter(n -> !n.isEmpty() && n.length() <= AccountRules.MAX_DISPLAY_NAME && !AccountRules.hasControl(n));
    String base = UsernameSuggestions.base(claims.getStringClaim("preferred_username"),
        claims.getStringClaim("email"), claims.getStringClaim("name"));
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    for (int attempt = 0; attempt < MAX_NAME_TRIES; attempt++) {
      String name = UsernameSuggestions.candidate(base, attempt);
      try {
        Optional<Account> made = identities.createLinkedAccount(issuer, subject, name, display, email, now);
        if (made.isPresent()) {
          return made.get();
        }
      } catch (StoreException.Conflict e) {
        // A sign-in of the same person on another request linked it first: use that account.
        return identities.accountByIdentity(issuer, subject).orElseThrow(() -> e);
      }
    }
    throw new OidcException(OidcException.Reason.OVERLOADED, "no free name was found for the new account; try again");
  }

  private String seal(String providerId, String state, String nonce, String verifier, URI redirectUri) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .audience(FLOW_AUDIENCE)
        .expirationTime(Date.from(now.plus(FLOW_LIFETIME)))
        .claim("prv", providerId)
        .claim("st", state)
        .claim("nn", nonce)
        .claim("cv", verifier)
        .claim("ru", redirectUri.toString())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(FLOW_TYPE).keyID(keyId).build(),
        claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a sign-in flow: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  /** The flow's claims if it is this server's, current and for this provider. */
  private JWTClaimsSet unseal(String providerId, String flow) throws java.text.ParseException {
    if (flow == null || flow.isEmpty() || flow.length() > MAX_FLOW_LENGTH) {
      throw new OidcException(OidcException.Reason.EXPIRED,
          "the sign-in was started in another browser, or too long ago; start again");
    }
    JWTClaimsSet claims;
    try {
      claims = flows.process(SignedJWT.parse(flow), null);
    } catch (BadJOSEException e) {
      throw e.getMessage() != null && e.getMessage().contains("Expired")
          ? new OidcException(OidcException.Reason.EXPIRED, "the sign-in took too long; start again")
          : new OidcException(OidcException.Reason.INVALID_STATE, "the sign-in flow is not this server's");
    } catch (JOSEException e) {
      throw new OidcException(OidcException.Reason.INVALID_STATE, "the sign-in flow is not this server's");
    }
    if (!providerId.equals(claims.getStringClaim("prv"))) {
      throw new OidcException(OidcException.Reason.INVALID_STATE, "the sign-in was started with another provider");
    }
    return claims;
  }

  private static OidcException unknown(String providerId) {
    return new OidcException(OidcException.Reason.UNKNOWN_PROVIDER, "no sign-in provider is called " + providerId);
  }

  private static <T> CompletableFuture<T> on(Executor executor, Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new OidcException(OidcException.Reason.OVERLOADED,
          "the server is busy; retry later"));
    }
  }
}
