package dev.parley.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the HTTP requests that are not Socket.IO: health, readiness and metrics, the official
 * Socket.IO client bundle at {@code /socket.io/socket.io.js}, the user's {@code --public-dir},
 * then the built-in web app. Blocking work (files on disk, the database, scraping metrics) runs
 * on {@code worker}, never on the event loop. The headers of every response (nosniff, HSTS) are
 * added by {@link SecurityHeaders}; the ones that depend on what is served, here.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

  /** What the router serves; shared by every connection. */
  record Routes(
      ClasspathAssets app,
      ClasspathAssets client,
      PublicDirectory publicDirectory,
      Optional<String> publicDirPolicy,
      Supplier<CompletableFuture<Boolean>> ready,
      Supplier<String> metrics,
      Executor worker) {}

  private static final String APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data: blob:; connect-src 'self' ws: wss:; font-src 'self' data:; object-src 'none'; "
      + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  /** The built-in app's files: no inline script, never in a frame, no referrer leaving for other sites. */
  private static final HttpHeaders APP_POLICY = new DefaultHttpHeaders()
      .add(HttpHeaderNames.CONTENT_SECURITY_POLICY, APP_CSP)
      .add(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
      .add("Referrer-Policy", "no-referrer");

  /** The paths that may be pages of the app, and those under /api, in any case (see {@link #isAppPage}). */
  private static final Pattern APP_PAGE = Pattern.compile("(/[A-Za-z0-9_-]+)*/?");
  private static final Pattern API = Pattern.compile("/api(/|$)", Pattern.CASE_INSENSITIVE);

  private final Routes routes;
  private final PublicDirectory publicDirectory;

  HttpRouter(Routes routes) {
    this.routes = routes;
    this.publicDirectory = routes.publicDirectory();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    HttpVersion version = request.protocolVersion();
    if (request.decoderResult().isFailure()) {
      // The codec could not read the request (a line or headers too long, not HTTP at all) and
      // reads nothing more from this connection: answer, then close.
      refuseUnreadable(ctx, version, request.decoderResult().cause());
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String path;
    try {
      path = new QueryStringDecoder(request.uri()).path();
    } catch (IllegalArgumentException e) {
      text(ctx, version, keepAlive, HttpResponseStatus.BAD_REQUEST, "Bad Request: malformed percent-escape in the URL");
      return;
    }
    boolean head = request.method() == HttpMethod.HEAD;
    Encoding gzip = Encoding.of(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
    if (request.method() != HttpMethod.GET && !head) {
      text(ctx, version, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
      return;
    }
    switch (path) {
      case "/healthz" -> text(ctx, version, keepAlive, HttpResponseStatus.OK, "ok");
      case "/readyz" -> routes.ready().get().whenComplete((ok, error) -> {
        boolean up = error == null && Boolean.TRUE.equals(ok);
        text(ctx, version, keepAlive, up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            up ? "ready" : "not ready: the database does not answer");
      });
      case "/metrics" -> offload(ctx, version, keepAlive, () -> {
        FullHttpResponse response = response(version, HttpResponseStatus.OK,
            routes.metrics().get().getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8");
        send(ctx, response, keepAlive);
      });
      default -> serveFile(ctx, version, keepAlive, head, gzip, path);
    }
  }

  private void serveFile(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, boolean head,
      Encoding gzip, String path) {
    if (path.startsWith("/socket.io/")) {
      Optional<Asset> client = routes.client().get(path.substring("/socket.io".length()));
      if (client.isPresent()) {
        asset(ctx, version, keepAlive, head, gzip, client.get(), EmptyHttpHeaders.INSTANCE);
        return;
      }
    }
    if (publicDirectory != null) {
      offload(ctx, version, keepAlive, () -> {
        Optional<Asset> own;
        try {
          own = publicDirectory.get(path);
        } catch (java.io.IOException e) {
          log.debug("cannot read {} from the public folder: {}", path, e.toString());
          own = Optional.empty();
        }
        if (own.isPresent()) {
          asset(ctx, version, keepAlive, head, gzip, own.get(), publicDirPolicy());
        } else {
          serveApp(ctx, version, keepAlive, head, gzip, path);
        }
      });
      return;
    }
    serveApp(ctx, version, keepAlive, head, gzip, path);
  }

  private void serveApp(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, boolean head,
      Encoding gzip, String path) {
    String key = path.equals("/") ? "/index.html" : path;
    Optional<Asset> asset = routes.app().get(key);
    if (asset.isEmpty() && isAppPage(path)) {
      asset = routes.app().get("/index.html");
    }
    if (asset.isPresent()) {
      asset(ctx, version, keepAlive, head, gzip, asset.get(), APP_POLICY);
    } else {
      text(ctx, version, keepAlive, HttpResponseStatus.NOT_FOUND, "Not Found");
    }
  }

  /**
   * Whether a path no file answers is a page of the app, served its index.html: plain segments
   * of letters, digits, '_' and '-', never under {@code /api} in any case. Everything else gets a
   * 404, so that no spelling of an API path (/API/…, //api/…, /api;/…, /api%00/…) and no request
   * for a missing file is answered 200 with the app.
   */
  static boolean isAppPage(String path) {
    return APP_PAGE.matcher(path).matches() && !API.matcher(path).lookingAt();
  }

  /** 414 for a request line too long, 431 for headers too large, 400 for anything else unreadable; closes. */
  private static void refuseUnreadable(ChannelHandlerContext ctx, HttpVersion version, Throwable cause) {
    HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
        : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
        : HttpResponseStatus.BAD_REQUEST;
    log.debug("unreadable HTTP request: {}", cause.toString());
    text(ctx, version, false, status, status.reasonPhrase());
  }

  /** The user's own files get the policy the user set, if any, and nothing more. */
  private HttpHeaders publicDirPolicy() {
    return routes.publicDirPolicy()
        .<HttpHeaders>map(csp -> new DefaultHttpHeaders().add(HttpHeaderNames.CONTENT_SECURITY_POLICY, csp))
        .orElse(EmptyHttpHeaders.INSTANCE);
  }

  private void offload(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, Runnable work) {
    try {
      routes.worker().execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          log.error("request failed", e);
          text(ctx, version, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error");
        }
      });
    } catch (RejectedExecutionException e) {
      text(ctx, version, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "Busy, retry later");
    }
  }

  /** The compressed forms a client accepts, from its Accept-Encoding. */
  record Encoding(boolean brotli, boolean gzip) {
    static Encoding of(String acceptEncoding) {
      boolean br = false;
      boolean gz = false;
      if (acceptEncoding != null) {
        for (String part : acceptEncoding.split(",")) {
          String[] fields = part.trim().split(";");
          String name = fields[0].trim().toLowerCase(java.util.Locale.ROOT);
          boolean refused = false;
          for (int i = 1; i < fields.length; i++) {
            String f = fields[i].trim().replace(" ", "");
            refused |= f.equals("q=0") || f.equals("q=0.0") || f.equals("q=0.00") || f.equals("q=0.000");
          }
          br |= name.equals("br") && !refused;
          gz |= (name.equals("gzip") || name.equals("x-gzip")) && !refused;
        }
      }
      return new Encoding(br, gz);
    }
  }

  private static void asset(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, boolean head,
      Encoding accepted, Asset asset, HttpHeaders policy) {
    String encoding = null;
    byte[] body = asset.bytes();
    if (accepted.brotli() && asset.brotli() != null) {
      encoding = "br";
      body = asset.brotli();
    } else if (accepted.gzip() && asset.gzip() != null) {
      encoding = "gzip";
      body = asset.gzip();
    }
    FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.OK,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    HttpHeaders h = response.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
    h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    h.set(HttpHeaderNames.CACHE_CONTROL, asset.cacheControl());
    h.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
    if (encoding != null) {
      h.set(HttpHeaderNames.CONTENT_ENCODING, encoding);
    }
    h.add(policy);
    send(ctx, response, keepAlive);
  }

  private static FullHttpResponse response(HttpVersion version, HttpResponseStatus status, byte[] body, String type) {
    FullHttpResponse response = new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return response;
  }

  private static void text(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive,
      HttpResponseStatus status, String text) {
    send(ctx, response(version, status, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=UTF-8"), keepAlive);
  }

  private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setKeepAlive(response, keepAlive);
    var future = ctx.writeAndFlush(response);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("http connection error: {}", cause.toString());
    ctx.close();
  }
}
