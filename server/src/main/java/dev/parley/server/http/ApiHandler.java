package dev.parley.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the requests under {@code /api/v1} off a connection, ahead of the static-file router:
 * reads each body up to {@link #MAX_BODY} bytes, hands the request to {@link AuthApi} and writes
 * its answer. A longer body is answered 413: once read through and dropped, or at once, closing
 * the connection, when it is longer than {@link #MAX_DRAIN} or the client waits for
 * {@code 100 Continue}. Every other request passes through untouched. The API's work runs off the event
 * loop; this handler only copies bytes. One instance per connection; only its event loop
 * touches its fields.
 */
public final class ApiHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

  /** The largest request body the API reads. */
  static final int MAX_BODY = 16 * 1024;
  /** How much of a too-long body is read through (and dropped) before the 413, instead of closing at once. */
  static final int MAX_DRAIN = 1024 * 1024;
  static final String PREFIX = "/api/v1";

  private final AuthApi api;

  /** Whether the current request belongs to the next handler. */
  private boolean passThrough;
  /** The API request being read; null between requests and once answered. */
  private HttpRequest current;
  private String currentPath;
  /** Its body so far. */
  private ByteArrayOutputStream body;
  /** How many bytes of a too-long body were dropped so far; -1 while the body fits. */
  private long discarded = -1;

  ApiHandler(AuthApi api) {
    this.api = api;
  }

  /**
   * The handlers of one connection: the API's, then {@code next} (the web frontend's) for every
   * request that is not the API's. For {@code ServerOptions.httpFallback}.
   */
  public static ChannelHandler before(AuthApi api, ChannelHandler next) {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new ApiHandler(api), next);
      }
    };
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      String path = apiPath(request.uri());
      passThrough = path == null;
      if (passThrough) {
        ctx.fireChannelRead(msg);
        return;
      }
      try {
        begin(ctx, request, path);
        if (msg instanceof HttpContent content) {
          content(ctx, content);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    } else if (msg instanceof HttpContent content) {
      if (passThrough) {
        ctx.fireChannelRead(msg);
        return;
      }
      try {
        content(ctx, content);
      } finally {
        content.release();
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  /** The decoded path if the URI is the API's, else null. A malformed API path is still the API's. */
  static String apiPath(String uri) {
    String raw = uri.split("[?#]", 2)[0];
    if (!raw.equals(PREFIX) && !raw.startsWith(PREFIX + "/")) {
      return null;
    }
    try {
      return new QueryStringDecoder(uri).path();
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  /** Whether the URI's path decodes (a malformed query is the route's to refuse, if it reads it). */
  private static boolean decodes(String uri) {
    try {
      new QueryStringDecoder(uri).path();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void begin(ChannelHandlerContext ctx, HttpRequest request, String path) {
    current = request;
    currentPath = path;
    body = new ByteArrayOutputStream();
    discarded = -1;
    if (request.decoderResult().isFailure()) {
      current = null;
      respond(ctx, request.protocolVersion(), AuthApi.error(400, "invalid_argument", "malformed request"), false);
      return;
    }
    if (!decodes(request.uri())) {
      // Its body, if any, is read and dropped like that of any answered request.
      current = null;
      respond(ctx, request.protocolVersion(), AuthApi.error(400, "invalid_argument",
          "malformed percent-escape in the path"), HttpUtil.isKeepAlive(request));
      return;
    }
    long declared = HttpUtil.getContentLength(request, 0L);
    boolean expectsContinue = HttpUtil.is100ContinueExpected(request);
    if (declared > MAX_BODY && (expectsContinue || declared > MAX_DRAIN)) {
      // Refused before the body is sent, or too long to read through: answer now and close.
      current = null;
      respond(ctx, request.protocolVersion(), tooLarge(), false);
      return;
    }
    if (declared > MAX_BODY) {
      discarded = 0;
    } else if (expectsContinue) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
  }

  private void content(ChannelHandlerContext ctx, HttpContent content) {
    if (current == null) {
      return;
    }
    int readable = content.content().readableBytes();
    if (discarded < 0 && body.size() + readable > MAX_BODY) {
      discarded = body.size();
      body = new ByteArrayOutputStream();
    }
    if (discarded >= 0) {
      // Too long: read the rest through before answering, so that the client, still sending,
      // gets the 413 instead of a reset connection.
      discarded += readable;
      if (content instanceof LastHttpContent || discarded > MAX_DRAIN) {
        HttpRequest request = current;
        current = null;
        respond(ctx, request.protocolVersion(), tooLarge(), content instanceof LastHttpContent
            && HttpUtil.isKeepAlive(request));
      }
      return;
    }
    byte[] chunk = new byte[readable];
    content.content().getBytes(content.content().readerIndex(), chunk);
    body.write(chunk, 0, readable);
    if (content instanceof LastHttpContent) {
      HttpRequest request = current;
      current = null;
      dispatch(ctx, request, body.toByteArray());
    }
  }

  private void dispatch(ChannelHandlerContext ctx, HttpRequest request, byte[] bytes) {
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("cookie") && headers.containsKey(name)) {
        headers.put(name, headers.get(name) + "; " + h.getValue());
      } else {
        headers.putIfAbsent(name, h.getValue());
      }
    }
    ApiRequest apiRequest = new ApiRequest(request.method().name(), currentPath, query(request.uri()),
        Map.copyOf(headers), bytes, ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a ? a : null);
    HttpVersion version = request.protocolVersion();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    api.handle(apiRequest).whenComplete((response, error) -> {
      if (error != null) {
        log.error("the API failed to answer {} {}", apiRequest.method(), apiRequest.path(), error);
        response = AuthApi.error(500, "internal", "the server failed; retry later");
      }
      respond(ctx, version, response, keepAlive);
    });
  }

  /** The raw query of a URI: what follows the first {@code ?}, up to a {@code #}; empty when none. */
  private static String query(String uri) {
    int start = uri.indexOf('?');
    if (start < 0) {
      return "";
    }
    int end = uri.indexOf('#', start);
    return uri.substring(start + 1, end < 0 ? uri.length() : end);
  }

  private static ApiResponse tooLarge() {
    return AuthApi.error(413, "too_large", "the body is larger than " + MAX_BODY + " bytes");
  }

  private static void respond(ChannelHandlerContext ctx, HttpVersion version, ApiResponse answer, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(answer.status()),
        Unpooled.wrappedBuffer(answer.body()));
    var h = response.headers();
    if (answer.body().length > 0) {
      h.set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
    }
    h.set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
    h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    for (int i = 0; i < answer.headers().size(); i += 2) {
      h.add(answer.headers().get(i), answer.headers().get(i + 1));
    }
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (version == HttpVersion.HTTP_1_0) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (passThrough) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    log.debug("API connection error: {}", cause.toString());
    ctx.close();
  }
}
