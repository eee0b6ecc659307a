package dev.parley.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.AccountService;
import dev.parley.server.auth.OidcException;
import dev.parley.server.auth.OidcProvider;
import dev.parley.server.auth.OidcSignIn;
import dev.parley.server.chat.StoreException;
import dev.parley.server.http.ApiRouter.Route;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of sign-in through OpenID Connect providers, under {@code /api/v1/auth/oidc/} (see
 * docs/api.md): the list of providers for the app's buttons, the start that sends the browser to
 * a provider, and the callback the provider sends it back to. The browser navigates to these, so
 * the outcome is a redirect: to {@code /} signed in, or to {@code /?signin_error=code}. Only
 * requests no flow can make (another method, a provider id that cannot be one, a start without a
 * usable {@code Host}) are answered with JSON, by {@link ApiRouter}.
 *
 * <p>The callback URL is {@code {public URL}/api/v1/auth/oidc/{provider}/callback}. Without a
 * public URL it is made from the request's {@code Host} header and the scheme the server serves:
 * right for direct access, wrong behind a proxy that changes either (then set the public URL,
 * which must also be what the provider has registered). Thread-safe.
 */
public final class OidcApi {
  private static final Logger log = LoggerFactory.getLogger(OidcApi.class);
  static final String BASE = AuthApi.BASE + "/oidc";
  /** The cookie that carries a sign-in flow from the start to the callback. */
  static final String FLOW_COOKIE = "parley_oidc";
  /** What a provider id can be (as in {@code Config.Oidc}); any other is a 400 that never echoes it. */
  private static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private final OidcSignIn signIn;
  private final Optional<URI> publicUrl;
  private final boolean secure;

  /**
   * @param publicUrl the address browsers reach the server at, without a trailing slash
   * @param secure whether the server is reached over HTTPS: cookies get {@code Secure}, and a
   *     callback URL made from {@code Host} is {@code https}
   */
  public OidcApi(OidcSignIn signIn, Optional<URI> publicUrl, boolean secure) {
    this.signIn = signIn;
    this.publicUrl = publicUrl;
    this.secure = secure;
  }

  List<Route> routes() {
    return List.of(
        Route.get(BASE + "/providers", call -> CompletableFuture.completedFuture(providers())),
        Route.get(BASE + "/{provider}/start", call -> {
          String provider = provider(call);
          return known(provider) ? start(call.request(), provider) : unknownProvider();
        }),
        Route.get(BASE + "/{provider}/callback", call -> {
          String provider = provider(call);
          return known(provider) ? callback(call.request(), provider) : unknownProvider();
        }));
  }

  private static String provider(ApiCall call) {
    return call.param("provider", PROVIDER_ID, "a provider id: lower-case letters, digits and '-', at most 32");
  }

  private boolean known(String provider) {
    return signIn.providers().stream().anyMatch(p -> p.id().equals(provider));
  }

  /** Nothing of an unknown id goes into a header or the log. */
  private static CompletableFuture<ApiResponse> unknownProvider() {
    return CompletableFuture.completedFuture(redirect("/?signin_error=unknown_provider"));
  }

  private ApiResponse providers() {
    ArrayNode list = ApiJson.JSON.createArrayNode();
    for (OidcProvider p : signIn.providers()) {
      ObjectNode item = list.addObject();
      item.put("id", p.id());
      item.put("name", p.name());
      item.put("startUrl", BASE + "/" + p.id() + "/start");
    }
    return ApiJson.json(200, ApiJson.object().set("providers", list));
  }

  private CompletableFuture<ApiResponse> start(ApiRequest r, String provider) {
    Optional<URI> redirect = redirectUri(r, provider);
    if (redirect.isEmpty()) {
      throw ApiError.invalid("the request has no usable Host header; set the server's public URL");
    }
    return signIn.start(provider, redirect.get())
        .thenApply(started -> redirect(started.authorizationUri().toString(),
            flowCookie(provider, started.flow(), OidcSignIn.FLOW_LIFETIME.toSeconds())))
        .exceptionally(e -> failed(provider, e));
  }

  private CompletableFuture<ApiResponse> callback(ApiRequest r, String provider) {
    return signIn.finish(provider, r.query(), flow(r).orElse(null), r.header("user-agent").orElse(""))
        .thenApply(signedIn -> {
          long maxAge = Duration.between(signedIn.session().createdAt(), signedIn.session().expiresAt()).toSeconds();
          return redirect("/", flowCookie(provider, "", 0), AuthApi.cookie(signedIn.token(), maxAge, secure));
        })
        .exceptionally(e -> failed(provider, e));
  }

  /** The redirect home with the reason, the flow cookie cleared. */
  private ApiResponse failed(String provider, Throwable failure) {
    Throwable e = AccountService.unwrap(failure);
    String code;
    if (e instanceof OidcException oidc) {
      log.info("Sign-in with {} did not complete: {}", provider, oidc.getMessage());
      code = oidc.reason().wire();
    } else if (e instanceof StoreException) {
      log.warn("Sign-in with {} could not reach the database: {}", provider, e.getMessage());
      code = "unavailable";
    } else {
      log.error("Sign-in with {} failed", provider, e);
      code = "internal";
    }
    return redirect("/?signin_error=" + code, flowCookie(provider, "", 0));
  }

  private Optional<URI> redirectUri(ApiRequest r, String provider) {
    String path = BASE + "/" + provider + "/callback";
    if (publicUrl.isPresent()) {
      return Optional.of(URI.create(publicUrl.get() + path));
    }
    Optional<String> host = r.header("host").map(String::strip).filter(h -> !h.isEmpty());
    try {
      return host.map(h -> URI.create((secure ? "https://" : "http://") + h + path)).filter(u -> u.getHost() != null);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Optional<String> flow(ApiRequest r) {
    Optional<String> header = r.header("cookie");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    try {
      return ServerCookieDecoder.LAX.decode(header.get()).stream().filter(c -> c.name().equals(FLOW_COOKIE))
          .map(Cookie::value).findFirst();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The flow cookie, sent back only to this provider's routes. */
  private String flowCookie(String provider, String value, long maxAgeSeconds) {
    return FLOW_COOKIE + "=" + value + "; Path=" + BASE + "/" + provider + "/; Max-Age=" + maxAgeSeconds
        + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
  }

  private static ApiResponse redirect(String location, String... cookies) {
    List<String> headers = new java.util.ArrayList<>(List.of("Location", location));
    for (String cookie : cookies) {
      headers.add("Set-Cookie");
      headers.add(cookie);
    }
    return new ApiResponse(302, new byte[0], headers);
  }
}
