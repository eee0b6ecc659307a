package dev.parley.socketio;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the frames of one WebSocket into Engine.IO packets for its session. */
final class EngineWebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(EngineWebSocketHandler.class);

  private final EngineSession session;

  EngineWebSocketHandler(EngineSession session) {
    this.session = session;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      String data = text.content().toString(StandardCharsets.UTF_8);
      try {
        dispatch(ctx, EnginePackets.Inbound.ofText(data));
      } catch (ProtocolException e) {
        fail(ctx, e.getMessage());
      }
    } else if (frame instanceof BinaryWebSocketFrame binary) {
      dispatch(ctx, EnginePackets.Inbound.ofBinary(ByteBufUtil.getBytes(binary.content())));
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame) {
      ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(f -> ctx.close());
    }
  }

  /**
   * Hands a packet to the session through its loop's task queue, even when already on that loop.
   * Netty reads sockets before it runs queued tasks, so handling the packet at once could let what
   * it causes (a broadcast, say) overtake deliveries that other loops queued here earlier, ones
   * its sender may already have seen acknowledged. Queued, it runs after them, as in Node.js.
   */
  private void dispatch(ChannelHandlerContext ctx, EnginePackets.Inbound packet) {
    session.loop.execute(() -> session.onWebSocketPacket(ctx.channel(), packet));
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    session.loop.execute(() -> session.onWebSocketError(ctx.channel(), reason));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("session {}: websocket error: {}", session.id, cause.toString());
    ctx.close();
  }
}
