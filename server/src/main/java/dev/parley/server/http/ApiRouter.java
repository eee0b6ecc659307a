package dev.parley.server.http;

import dev.parley.server.auth.AccountService;
import dev.parley.server.auth.AuthException;
import dev.parley.server.chat.ChatException;
import dev.parley.server.chat.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each request under {@code /api/v1} to the route its method and path name, from one table
 * that {@link AuthApi}, {@link AccountApi}, {@link ChatApi}, {@link OidcApi} and the OpenAPI
 * document contribute to; the same table is what the OpenAPI document is checked against. The one
 * place where refusals of every kind ({@link ApiError}, {@link AuthException},
 * {@link ChatException}, {@link StoreException}) become HTTP statuses; {@link OidcApi}'s browser
 * routes answer their sign-in outcomes as redirects instead (see there).
 *
 * <p>Paths match segment by segment: a literal segment exactly (case included), a parameter
 * ({@code {roomId}}) any non-empty segment, which the route then reads strictly. Where several
 * routes match, the one with the most literal segments wins. A path that matches with another
 * method is a 405 naming the methods it takes.
 *
 * <p>Cross-site request forgery: a request that changes state is refused (403) when it carries an
 * {@code Origin} other than its own {@code Host}, and, when the {@code parley_session} cookie is
 * what signs it in, also when it carries no {@code Origin} at all (browsers always send one with
 * such requests; scripts use bearer tokens; see {@link Credentials}). Bodies must be JSON (415
 * otherwise), which no HTML form can send. Immutable and thread-safe; the routes do their
 * blocking work on the services' executors.
 */
public final class ApiRouter {
  private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);
  static final String OPENAPI_PATH = ApiHandler.PREFIX + "/openapi.json";
  private static final String OPENAPI_RESOURCE = "/openapi.json";

  /** What answers a matched request; may throw instead of failing its future. */
  @FunctionalInterface
  interface Handler {
    CompletableFuture<ApiResponse> handle(ApiCall call);
  }

  /** One row of the table: a method, a path template such as {@code /api/v1/rooms/{roomId}}, its handler. */
  record Route(String method, String path, Handler handler) {
    static Route get(String path, Handler handler) {
      return new Route("GET", path, handler);
    }

    static Route post(String path, Handler handler) {
      return new Route("POST", path, handler);
    }

    static Route put(String path, Handler handler) {
      return new Route("PUT", path, handler);
    }

    static Route delete(String path, Handler handler) {
      return new Route("DELETE", path, handler);
    }

    private List<String> template() {
      return List.of(path.substring(1).split("/", -1));
    }

    /** The parameters by name when {@code segments} fit the template; empty otherwise. */
    Optional<Map<String, String>> match(List<String> segments) {
      List<String> template = template();
      if (template.size() != segments.size()) {
        return Optional.empty();
      }
      Map<String, String> params = new HashMap<>();
      for (int i = 0; i < template.size(); i++) {
        String t = template.get(i);
        String s = segments.get(i);
        if (isParameter(t)) {
          if (s.isEmpty()) {
            return Optional.empty();
          }
          params.put(t.substring(1, t.length() - 1), s);
        } else if (!t.equals(s)) {
          return Optional.empty();
        }
      }
      return Optional.of(params);
    }

    int literals() {
      return (int) template().stream().filter(t -> !isParameter(t)).count();
    }

    private static boolean isParameter(String segment) {
      return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }
  }

  private final List<Route> routes;

  private ApiRouter(List<Route> routes) {
    Set<String> seen = new HashSet<>();
    for (Route route : routes) {
      if (!route.path().startsWith(ApiHandler.PREFIX + "/") || !seen.add(route.method() + " " + route.path())) {
        throw new IllegalArgumentException("bad or repeated route " + route.method() + " " + route.path());
      }
    }
    this.routes = List.copyOf(routes);
  }

  /**
   * The routes of {@code auth}, {@code account}, {@code chat} and {@code oidc}, and the OpenAPI
   * document describing them all.
   */
  public static ApiRouter of(AuthApi auth, AccountApi account, ChatApi chat, OidcApi oidc) {
    byte[] document = openApiDocument();
    List<Route> all = new ArrayList<>(auth.routes());
    all.addAll(account.routes());
    all.addAll(chat.routes());
    all.addAll(oidc.routes());
    all.add(Route.get(OPENAPI_PATH,
        call -> CompletableFuture.completedFuture(new ApiResponse(200, document, List.of()))));
    return new ApiRouter(all);
  }

  private static byte[] openApiDocument() {
    try (InputStream in = ApiRouter.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the build lacks " + OPENAPI_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
    }
  }

  /** Every route as {@code "METHOD /path/{param}"}, in table order. */
  public List<String> routes() {
    return routes.stream().map(r -> r.method() + " " + r.path()).toList();
  }

  /** Answers a request; the future never fails. */
  public CompletableFuture<ApiResponse> handle(ApiRequest request) {
    CompletableFuture<ApiResponse> answer;
    try {
      answer = dispatch(request);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.exceptionally(ApiRouter::failure);
  }

  private CompletableFuture<ApiResponse> dispatch(ApiRequest r) {
    List<String> segments = r.path().startsWith("/") ? List.of(r.path().substring(1).split("/", -1)) : List.of();
    int best = -1;
    List<Route> matching = new ArrayList<>();
    for (Route route : routes) {
      if (route.match(segments).isPresent()) {
        if (route.literals() > best) {
          best = route.literals();
          matching.clear();
        }
        if (route.literals() == best) {
          matching.add(route);
        }
      }
    }
    if (matching.isEmpty()) {
      throw new ApiError(404, "not_found", "no such API route");
    }
    Route route = matching.stream().filter(m -> m.method().equals(r.method())).findFirst().orElseThrow(() -> {
      Set<String> allowed = new LinkedHashSet<>();
      matching.forEach(m -> allowed.add(m.method()));
      return ApiError.methodNotAllowed(String.join(", ", allowed));
    });
    if (r.changesState()) {
      checkWrite(r);
    }
    return route.handler().handle(new ApiCall(r, route.match(segments).orElseThrow()));
  }

  /** JSON only (no form can send it), and no request from another site. */
  private static void checkWrite(ApiRequest r) {
    Optional<String> type = r.header("content-type");
    if (type.isPresent() ? !isJson(type.get()) : r.body().length > 0) {
      throw new ApiError(415, "unsupported_media_type", "send the body as JSON, with Content-Type: application/json");
    }
    Optional<String> origin = r.header("origin");
    if (origin.isPresent() && !sameOrigin(origin.get(), r.header("host").orElse(""))) {
      throw new ApiError(403, "forbidden", "a request from another site is refused");
    }
  }

  private static boolean isJson(String contentType) {
    String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return media.equals("application/json");
  }

  /** Whether {@code origin} ({@code scheme://host[:port]}) names the same host and port as {@code host}. */
  static boolean sameOrigin(String origin, String host) {
    try {
      URI o = new URI(origin.strip());
      URI h = new URI(o.getScheme() + "://" + host.strip());
      if (o.getHost() == null || h.getHost() == null || o.getRawPath() != null && !o.getRawPath().isEmpty()
          || !(o.getScheme().equals("http") || o.getScheme().equals("https"))) {
        return false;
      }
      int defaultPort = o.getScheme().equals("https") ? 443 : 80;
      return o.getHost().equalsIgnoreCase(h.getHost())
          && (o.getPort() < 0 ? defaultPort : o.getPort()) == (h.getPort() < 0 ? defaultPort : h.getPort());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return false;
    }
  }

  // ---- failures --------------------------------------------------------------------------------

  private static final String[] CHALLENGE = {"WWW-Authenticate", "Bearer realm=\"parley\""};

  static ApiResponse failure(Throwable failure) {
    Throwable e = AccountService.unwrap(failure);
    if (e instanceof ApiError api) {
      return switch (api.status) {
        case 401 -> ApiJson.error(401, api.code, api.getMessage(), CHALLENGE);
        case 405 -> ApiJson.error(405, api.code, "this route takes " + api.getMessage(), "Allow", api.getMessage());
        default -> ApiJson.error(api.status, api.code, api.getMessage());
      };
    }
    if (e instanceof AuthException auth) {
      int status = switch (auth.code()) {
        case INVALID_ARGUMENT, INVALID_CODE, CODE_EXPIRED -> 400;
        case INVALID_CREDENTIALS, UNAUTHORIZED -> 401;
        case FORBIDDEN -> 403;
        case NOT_FOUND -> 404;
        case CONFLICT -> 409;
        case RATE_LIMITED -> 429;
        case OVERLOADED, MAIL_UNAVAILABLE -> 503;
      };
      if (status == 429) {
        return ApiJson.tooMany(auth.retryAfter().orElse(java.time.Duration.ofSeconds(1)), auth.getMessage());
      }
      return status == 401 ? ApiJson.error(401, auth.code().wire(), auth.getMessage(), CHALLENGE)
          : ApiJson.error(status, auth.code().wire(), auth.getMessage());
    }
    if (e instanceof ChatException chat) {
      return chatFailure(chat);
    }
    if (e instanceof StoreException) {
      log.warn("The API could not use the database: {}", e.getMessage());
      return ApiJson.error(503, "unavailable", "the database does not answer; retry later");
    }
    log.error("The API failed", e);
    return ApiJson.error(500, "internal", "the server failed; retry later");
  }

  /** The chat's error codes (docs/protocol.md) as HTTP statuses; the code itself is kept in the body. */
  private static ApiResponse chatFailure(ChatException e) {
    int status = switch (e.code()) {
      case INVALID_ARGUMENT, TOO_LONG -> 400;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case RATE_LIMITED -> 429;
      case OVERLOADED, UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
    if (status == 429) {
      return ApiJson.tooMany(java.time.Duration.ofMillis(e.retryAfterMillis()), e.getMessage());
    }
    return ApiJson.error(status, e.code().wire(), e.getMessage());
  }
}
