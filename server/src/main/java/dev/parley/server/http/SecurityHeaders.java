package dev.parley.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;

/**
 * Adds the headers every response of the web frontend carries, whatever route made it:
 * {@code X-Content-Type-Options: nosniff}, and under TLS {@code Strict-Transport-Security} so
 * browsers keep to HTTPS for a year. What depends on the content (the app's Content-Security-Policy,
 * framing, referrer) is set by {@link HttpRouter}. Stateless and shared by every connection.
 */
@ChannelHandler.Sharable
final class SecurityHeaders extends ChannelOutboundHandlerAdapter {
  static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
  static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
  static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");
  static final AsciiString ONE_YEAR = AsciiString.cached("max-age=31536000");

  /** For connections over plain HTTP. */
  static final SecurityHeaders PLAIN = new SecurityHeaders(false);
  /** For connections over TLS. */
  static final SecurityHeaders TLS = new SecurityHeaders(true);

  private final boolean tls;

  private SecurityHeaders(boolean tls) {
    this.tls = tls;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response) {
      response.headers().set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
      if (tls) {
        response.headers().set(STRICT_TRANSPORT_SECURITY, ONE_YEAR);
      }
    }
    ctx.write(msg, promise);
  }
}
