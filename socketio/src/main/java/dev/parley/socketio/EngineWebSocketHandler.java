package dev.parley.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the frames of one WebSocket into Engine.IO packets for its session. A message sent in
 * fragments is joined here, up to {@code maxPayload} bytes; a longer one closes the connection.
 * Owned by the channel's event loop.
 */
final class EngineWebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(EngineWebSocketHandler.class);

  private final EngineSession session;
  private final int maxPayload;
  /** The fragments of a message being received; null between messages. */
  private CompositeByteBuf fragments;
  /** Whether {@link #fragments} make a binary message. */
  private boolean fragmentsBinary;

  EngineWebSocketHandler(EngineSession session, int maxPayload) {
    this.session = session;
    this.maxPayload = maxPayload;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    boolean text = frame instanceof TextWebSocketFrame;
    if (text || frame instanceof BinaryWebSocketFrame) {
      if (fragments != null) {
        fail(ctx, "a new message began before the fragmented one ended");
      } else if (frame.isFinalFragment()) {
        onMessage(ctx, text, frame.content());
      } else {
        fragments = ctx.alloc().compositeBuffer();
        fragmentsBinary = !text;
        addFragment(ctx, frame);
      }
    } else if (frame instanceof ContinuationWebSocketFrame) {
      if (fragments == null) {
        fail(ctx, "a continuation frame outside a fragmented message");
      } else {
        addFragment(ctx, frame);
      }
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame) {
      ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(f -> ctx.close());
    }
  }

  private void addFragment(ChannelHandlerContext ctx, WebSocketFrame frame) {
    ByteBuf content = frame.content();
    if (fragments.readableBytes() + content.readableBytes() > maxPayload) {
      releaseFragments();
      log.debug("session {}: fragmented message over {} bytes", session.id, maxPayload);
      ctx.close();
      return;
    }
    fragments.addComponent(true, content.retain());
    if (frame.isFinalFragment()) {
      CompositeByteBuf message = fragments;
      fragments = null;
      try {
        onMessage(ctx, !fragmentsBinary, message);
      } finally {
        message.release();
      }
    }
  }

  private void onMessage(ChannelHandlerContext ctx, boolean text, ByteBuf content) {
    if (!text) {
      dispatch(ctx, EnginePackets.Inbound.ofBinary(ByteBufUtil.getBytes(content)));
      return;
    }
    try {
      dispatch(ctx, EnginePackets.Inbound.ofText(content.toString(StandardCharsets.UTF_8)));
    } catch (ProtocolException e) {
      fail(ctx, e.getMessage());
    }
  }

  /**
   * Hands a packet to the session. Netty reads sockets before it runs queued tasks, so handling a
   * packet at once could let what it causes (a broadcast, say) overtake deliveries that other
   * loops queued here earlier, ones its sender may already have seen acknowledged. So the packet
   * is handled at once only on the session's loop with nothing queued there (nothing to overtake,
   * and no earlier packet of this session still waiting); otherwise it joins the queue and runs
   * after what is already there, as in Node.js.
   */
  private void dispatch(ChannelHandlerContext ctx, EnginePackets.Inbound packet) {
    EventLoop loop = session.loop;
    if (loop.inEventLoop() && loop instanceof SingleThreadEventExecutor executor && executor.pendingTasks() == 0) {
      session.onWebSocketPacket(ctx.channel(), packet);
    } else {
      loop.execute(() -> session.onWebSocketPacket(ctx.channel(), packet));
    }
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    releaseFragments();
    session.loop.execute(() -> session.onWebSocketError(ctx.channel(), reason));
  }

  private void releaseFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseFragments();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseFragments();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("session {}: websocket error: {}", session.id, cause.toString());
    ctx.close();
  }
}
