package dev.parley.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves the Engine.IO endpoint of one HTTP connection: handshakes, polls, posts and WebSocket
 * upgrades. Requests for other paths go on to the next handler unchanged. A POST body is
 * collected here up to {@code maxPayload} bytes; a longer one is refused with 413 as soon as its
 * size is known, before it is buffered whole, and what is left of it is read and dropped (see
 * {@link #refuseTooLarge}). Owned by the channel's event loop.
 */
final class EngineIoHttpHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "engine.io";

  private final EngineServer server;
  private final ServerOptions options;

  /** Whether the current request belongs to the next handler. */
  private boolean passThrough;
  /** Collects the body of a POST for this session; null when not collecting. */
  private CompositeByteBuf body;
  private EngineSession postSession;
  /** The request being answered, kept until its last content arrives. */
  private HttpRequest current;
  /** The session this connection last sent a poll for, to tell it if the connection drops. */
  private EngineSession lastPolled;
  /** A WebSocket upgrade waiting for the end of its request. */
  private boolean upgradePending;
  /** How many more bytes of a refused body are read and dropped before closing; -1 when none is. */
  private long draining = -1;
  /** The writing of the 413 of the body being drained; null when none is. */
  private ChannelFuture refusal;

  EngineIoHttpHandler(EngineServer server) {
    this.server = server;
    this.options = server.options();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      passThrough = !isEnginePath(path(request.uri()));
      if (passThrough) {
        ctx.fireChannelRead(msg);
        return;
      }
      try {
        onRequest(ctx, request);
      } finally {
        ReferenceCountUtil.release(msg);
      }
      if (msg instanceof LastHttpContent && draining >= 0) {
        stopDraining(ctx);
      } else if (msg instanceof LastHttpContent) {
        onLastContent(ctx);
      }
    } else if (msg instanceof HttpContent content) {
      if (passThrough) {
        ctx.fireChannelRead(msg);
        return;
      }
      try {
        onContent(ctx, content);
      } finally {
        content.release();
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * The request's path, percent-decoded, or as sent when it has a malformed escape (such as
   * {@code %u006d}): such a request is the next handler's to refuse, unless it is for the engine's
   * path with a malformed query, which {@link #onRequest} refuses.
   */
  private static String path(String uri) {
    try {
      return new QueryStringDecoder(uri).path();
    } catch (IllegalArgumentException e) {
      return uri.split("[?#]", 2)[0];
    }
  }

  private boolean isEnginePath(String path) {
    String p = options.path();
    return path.equals(p) || path.equals(p.substring(0, p.length() - 1));
  }

  private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
    current = request;
    upgradePending = false;
    HttpHeaders headers = request.headers();
    HttpVersion version = request.protocolVersion();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      // Headers the codec could not read (too large, malformed): it reads nothing more from this
      // connection, so answer and close.
      HttpResponses.sendError(ctx, version, false, EngineError.BAD_REQUEST, null, options);
      return;
    }
    String origin = headers.get(HttpHeaderNames.ORIGIN);
    if (origin != null && !options.originAllowed(origin, headers.get(HttpHeaderNames.HOST),
        options.proxies().secure(peer(ctx), secure(ctx), headers.get("x-forwarded-proto")))) {
      HttpResponses.sendError(ctx, version, false, EngineError.FORBIDDEN, null, options);
      return;
    }
    if (request.method() == HttpMethod.OPTIONS) {
      HttpResponses.sendPreflight(ctx, version, keepAlive, origin,
          headers.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS), options);
      return;
    }
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    try {
      query.parameters();
    } catch (IllegalArgumentException e) {
      // A malformed percent-escape: answered, where an exception would drop the connection.
      HttpResponses.sendError(ctx, version, keepAlive, EngineError.BAD_REQUEST, origin, options);
      return;
    }
    if (!"4".equals(param(query, "EIO"))) {
      HttpResponses.sendError(ctx, version, keepAlive, EngineError.UNSUPPORTED_PROTOCOL_VERSION, origin, options);
      return;
    }
    Optional<ServerOptions.Transport> transport = transport(param(query, "transport"));
    if (transport.isEmpty()) {
      HttpResponses.sendError(ctx, version, keepAlive, EngineError.UNKNOWN_TRANSPORT, origin, options);
      return;
    }
    String sid = param(query, "sid");
    boolean upgrade = "websocket".equalsIgnoreCase(headers.get(HttpHeaderNames.UPGRADE));
    if (transport.get() == ServerOptions.Transport.WEBSOCKET) {
      if (!upgrade || request.method() != HttpMethod.GET) {
        HttpResponses.sendError(ctx, version, keepAlive, EngineError.BAD_REQUEST, origin, options);
        return;
      }
      if (sid != null && server.session(sid).isEmpty()) {
        HttpResponses.sendError(ctx, version, false, EngineError.UNKNOWN_SID, origin, options);
        return;
      }
      upgradePending = true;
      return;
    }
    if (upgrade) {
      HttpResponses.sendError(ctx, version, false, EngineError.BAD_REQUEST, origin, options);
      return;
    }
    if (sid == null) {
      if (request.method() != HttpMethod.GET) {
        HttpResponses.sendError(ctx, version, keepAlive, EngineError.BAD_HANDSHAKE_METHOD, origin, options);
        return;
      }
      openPolling(ctx, request, query, keepAlive);
      return;
    }
    Optional<EngineSession> found = server.session(sid);
    if (found.isEmpty()) {
      HttpResponses.sendError(ctx, version, keepAlive, EngineError.UNKNOWN_SID, origin, options);
      return;
    }
    EngineSession session = found.get();
    if (request.method() == HttpMethod.GET) {
      lastPolled = session;
      // Queued like every packet of the session (see EngineWebSocketHandler#dispatch), so a poll
      // cannot overtake an upgrade packet read just before it.
      session.loop.execute(() -> session.onPoll(ctx, version, keepAlive));
    } else if (request.method() == HttpMethod.POST) {
      long length = HttpUtil.getContentLength(request, -1L);
      if (length > options.maxPayload()) {
        refuseTooLarge(ctx, request, length);
        return;
      }
      postSession = session;
      body = ctx.alloc().compositeBuffer(64);
    } else {
      HttpResponses.sendError(ctx, version, keepAlive, EngineError.BAD_REQUEST, origin, options);
    }
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    if (draining >= 0) {
      draining -= content.content().readableBytes();
      if (content instanceof LastHttpContent || draining < 0) {
        stopDraining(ctx);
      }
      return;
    }
    if (body != null) {
      ByteBuf data = content.content();
      if (body.readableBytes() + data.readableBytes() > options.maxPayload()) {
        body.release();
        body = null;
        postSession = null;
        refuseTooLarge(ctx, current, options.maxPayload());
        if (content instanceof LastHttpContent) {
          stopDraining(ctx);
        }
        return;
      }
      if (data.isReadable()) {
        body.addComponent(true, data.retain());
      }
    }
    if (content instanceof LastHttpContent) {
      onLastContent(ctx);
    }
  }

  /**
   * Answers 413 at once, then reads the rest of the body and drops it before closing, when that
   * rest is at most {@code maxPayload} bytes more: closing while the client is still sending would
   * reset the connection, and the client would never see the answer. A longer body, or one the
   * client waits to send (Expect: 100-continue), has its connection closed right after the answer.
   *
   * @param rest how many more bytes may be read through: the declared length, or maxPayload
   */
  private void refuseTooLarge(ChannelHandlerContext ctx, HttpRequest request, long rest) {
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (rest > 2L * options.maxPayload() || HttpUtil.is100ContinueExpected(request)) {
      HttpResponses.sendError(ctx, request.protocolVersion(), false, EngineError.PAYLOAD_TOO_LARGE, origin, options);
      return;
    }
    refusal = HttpResponses.sendLastError(ctx, request.protocolVersion(), EngineError.PAYLOAD_TOO_LARGE, origin,
        options);
    draining = rest;
  }

  /** Closes the connection once the refusal is written. */
  private void stopDraining(ChannelHandlerContext ctx) {
    draining = -1;
    refusal.addListener(ChannelFutureListener.CLOSE);
    refusal = null;
  }

  private void onLastContent(ChannelHandlerContext ctx) {
    HttpRequest request = current;
    if (body != null) {
      ByteBuf complete = body;
      EngineSession session = postSession;
      body = null;
      postSession = null;
      HttpVersion version = request.protocolVersion();
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (!onSessionLoop(session, () -> session.onPost(ctx, version, keepAlive, complete))) {
        complete.release();
      }
    } else if (upgradePending) {
      upgradePending = false;
      upgrade(ctx, request);
    }
  }

  private void openPolling(ChannelHandlerContext ctx, HttpRequest request, QueryStringDecoder query, boolean keepAlive) {
    EngineSession session = newSession(ctx, request, query, ServerOptions.Transport.POLLING);
    ByteBuf open = Unpooled.copiedBuffer(EnginePackets.OPEN + session.openPacket(), StandardCharsets.UTF_8);
    HttpResponses.sendPayload(ctx, request.protocolVersion(), keepAlive, open,
        request.headers().get(HttpHeaderNames.ORIGIN), options);
    server.open(session, null);
  }

  private void upgrade(ChannelHandlerContext ctx, HttpRequest request) {
    Channel channel = ctx.channel();
    String url = (secure(ctx) ? "wss://" : "ws://") + request.headers().get(HttpHeaderNames.HOST) + request.uri();
    WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(url, null,
        server.webSocketDecoderConfig());
    WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return;
    }
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String sid = param(query, "sid");
    DefaultFullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
        request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
    if (sid != null) {
      Optional<EngineSession> found = server.session(sid);
      if (found.isEmpty()) {
        HttpResponses.sendError(ctx, request.protocolVersion(), false, EngineError.UNKNOWN_SID,
            request.headers().get(HttpHeaderNames.ORIGIN), options);
        return;
      }
      EngineSession session = found.get();
      handshaker.handshake(channel, full);
      installFrameHandlers(ctx, session);
      onSessionLoop(session, () -> {
        if (!session.beginUpgrade(channel)) {
          channel.close();
        }
      });
      return;
    }
    EngineSession session = newSession(ctx, request, query, ServerOptions.Transport.WEBSOCKET);
    handshaker.handshake(channel, full);
    installFrameHandlers(ctx, session);
    channel.writeAndFlush(EnginePackets.text(channel.alloc(), EnginePackets.OPEN, session.openPacket()));
    server.open(session, channel);
  }

  /**
   * Replaces the HTTP handlers after this one, and this one, by the Engine.IO frame handler (which
   * also joins fragmented messages: one handler less on every connection than an aggregator).
   */
  private void installFrameHandlers(ChannelHandlerContext ctx, EngineSession session) {
    var pipeline = ctx.pipeline();
    pipeline.addAfter(ctx.name(), "ws-engine", new EngineWebSocketHandler(session, options.maxPayload()));
    List<String> names = pipeline.names();
    for (int i = names.indexOf("ws-engine") + 1; i < names.size(); i++) {
      if (pipeline.get(names.get(i)) != null && !names.get(i).startsWith("DefaultChannelPipeline$TailContext")) {
        pipeline.remove(names.get(i));
      }
    }
    pipeline.remove(this);
  }

  private EngineSession newSession(ChannelHandlerContext ctx, HttpRequest request, QueryStringDecoder query,
      ServerOptions.Transport transport) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : request.headers()) {
      headers.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + ", " + b);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : query.parameters().entrySet()) {
      if (!e.getValue().isEmpty()) {
        params.put(e.getKey(), e.getValue().get(0));
      }
    }
    Channel channel = ctx.channel();
    InetSocketAddress peer = peer(ctx);
    InetSocketAddress address = options.proxies().client(peer, headers.get("x-forwarded-for"));
    boolean secure = options.proxies().secure(peer, secure(ctx), headers.get("x-forwarded-proto"));
    return server.create(channel.eventLoop(), transport, PackedStringMap.copyOf(headers),
        PackedStringMap.copyOf(params), address, secure, request.uri());
  }

  /** The address of the other end of the connection. */
  private static InetSocketAddress peer(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : new InetSocketAddress(0);
  }

  /** Whether this connection came in over TLS. */
  private static boolean secure(ChannelHandlerContext ctx) {
    return ctx.pipeline().get(SslHandler.class) != null;
  }

  /**
   * Runs {@code task} on the session's loop as a task of its own, even when already on that loop,
   * so that the session handles requests in the order they were read, after what other loops
   * queued for it before (see {@link EngineWebSocketHandler}). False if the loop is stopping.
   */
  private static boolean onSessionLoop(EngineSession session, Runnable task) {
    try {
      session.loop.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private Optional<ServerOptions.Transport> transport(String name) {
    for (ServerOptions.Transport t : options.transports()) {
      if (t.wireName().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static String param(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (body != null) {
      body.release();
      body = null;
    }
    EngineSession polled = lastPolled;
    if (polled != null) {
      lastPolled = null;
      onSessionLoop(polled, () -> polled.onPollConnectionClosed(ctx));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
