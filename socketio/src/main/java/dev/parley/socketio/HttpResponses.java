package dev.parley.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/** Writes the HTTP responses of the long-polling transport. */
final class HttpResponses {
  /** Browsers must take a body for the type it is sent as, never guess a script out of it. */
  static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
  static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
  private static final ByteBuf OK = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer(2).writeBytes("ok".getBytes(StandardCharsets.US_ASCII)).asReadOnly());

  private HttpResponses() {}

  static void sendPayload(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive,
      ByteBuf payload, String origin, ServerOptions options) {
    send(ctx, version, keepAlive, HttpResponseStatus.OK, "text/plain; charset=UTF-8", payload, origin, options);
  }

  static void sendOk(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, String origin,
      ServerOptions options) {
    send(ctx, version, keepAlive, HttpResponseStatus.OK, "text/html", OK.duplicate(), origin, options);
  }

  static void sendError(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, EngineError error,
      String origin, ServerOptions options) {
    send(ctx, version, keepAlive, error.status, "application/json",
        Unpooled.copiedBuffer(error.body(), StandardCharsets.UTF_8), origin, options);
  }

  /**
   * An error that ends the connection ({@code Connection: close}), which the caller closes once
   * it has read what is left of the request.
   */
  static ChannelFuture sendLastError(ChannelHandlerContext ctx, HttpVersion version, EngineError error, String origin,
      ServerOptions options) {
    FullHttpResponse response = response(version, error.status, "application/json",
        Unpooled.copiedBuffer(error.body(), StandardCharsets.UTF_8), origin, options);
    HttpUtil.setKeepAlive(response, false);
    return ctx.writeAndFlush(response);
  }

  static void sendPreflight(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive,
      String origin, String requestHeaders, ServerOptions options) {
    FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
    cors(response.headers(), origin, options);
    response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET,HEAD,PUT,PATCH,POST,DELETE");
    if (requestHeaders != null) {
      response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requestHeaders);
    }
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    write(ctx, response, keepAlive);
  }

  static void send(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, HttpResponseStatus status,
      String contentType, ByteBuf content, String origin, ServerOptions options) {
    write(ctx, response(version, status, contentType, content, origin, options), keepAlive);
  }

  private static FullHttpResponse response(HttpVersion version, HttpResponseStatus status, String contentType,
      ByteBuf content, String origin, ServerOptions options) {
    FullHttpResponse response = new DefaultFullHttpResponse(version, status, content);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    headers.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    cors(headers, origin, options);
    return response;
  }

  /**
   * CORS headers for an origin of the allow-list. The server's own origin needs none, and any
   * other was refused before a response was made.
   */
  private static void cors(HttpHeaders headers, String origin, ServerOptions options) {
    if (origin != null && options.originListed(origin)) {
      headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
      headers.set(HttpHeaderNames.VARY, "Origin");
    }
  }

  private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setKeepAlive(response, keepAlive);
    ChannelFuture future = ctx.writeAndFlush(response);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
