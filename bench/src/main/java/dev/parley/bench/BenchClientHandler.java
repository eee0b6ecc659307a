package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * The Engine.IO/Socket.IO state machine of one {@link BenchClient}: answers the open packet with
 * a namespace CONNECT, pings with pongs, routes acknowledgements to the client and events to
 * the scenario's {@link ClientListener}.
 */
final class BenchClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final byte[] EVENT = {'4', '2'};

  private final BenchClient client;
  private final ClientListener listener;
  private final PacketParser parser;
  /** The first failure seen, reported when the channel closes. Event loop only. */
  private Throwable failure;

  BenchClientHandler(BenchClient client, ClientListener listener, PacketParser parser) {
    this.client = client;
    this.listener = listener;
    this.parser = parser;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (!(frame instanceof TextWebSocketFrame)) {
      return; // binary attachments are not used by the benchmarks
    }
    ByteBuf content = frame.content();
    if (PayloadScanner.startsWith(content, EVENT) && content.readableBytes() > 2 && content.getByte(content.readerIndex() + 2) == '[') {
      listener.onEvent(client, content);
      return;
    }
    Inbound packet = parser.parse(content.toString(StandardCharsets.UTF_8));
    if (packet instanceof Inbound.Open) {
      send(ctx, Packets.CONNECT);
    } else if (packet instanceof Inbound.Ping) {
      send(ctx, Packets.PONG);
    } else if (packet instanceof Inbound.Connected connected) {
      client.onConnected(connected.sid());
    } else if (packet instanceof Inbound.Ack ack) {
      client.onAck(ack.id(), ack.argsJson());
    } else if (packet instanceof Inbound.Event) {
      listener.onEvent(client, content);
    } else if (packet instanceof Inbound.ConnectError error) {
      fail(ctx, new IllegalStateException("CONNECT refused: " + error.json()));
    } else if (packet instanceof Inbound.Close || packet instanceof Inbound.Disconnected) {
      ctx.close();
    }
    // Noop and Unsupported packets are ignored.
  }

  private static void send(ChannelHandlerContext ctx, String packet) {
    ctx.writeAndFlush(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ctx.alloc(), packet)));
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    client.onClosed(failure);
    listener.onClosed(client);
    super.channelInactive(ctx);
  }
}
