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
 * the CONNECT of the client's namespace (with its auth, and its pid and offset when it resumes a
 * session), pings with pongs, routes acknowledgements to the client or the scenario's
 * {@link ClientListener}, and events to the listener. Events and acknowledgements of the
 * client's namespace are read in place from the frame; packets of other namespaces are ignored.
 */
final class BenchClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final BenchClient client;
  private final NamespaceSession session;
  private final ClientListener listener;
  private final PacketParser parser;
  /** The first failure seen, reported when the channel closes. Event loop only. */
  private Throwable failure;

  BenchClientHandler(BenchClient client, ClientListener listener, PacketParser parser) {
    this.client = client;
    this.session = client.session();
    this.listener = listener;
    this.parser = parser;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (!(frame instanceof TextWebSocketFrame)) {
      return; // binary attachments are not used by the benchmarks
    }
    ByteBuf content = frame.content();
    if (PayloadScanner.startsWith(content, session.eventPrefix())) {
      onEvent(content);
      return;
    }
    long ackId = PayloadScanner.ackId(content, session.ackPrefix());
    if (ackId >= 0) {
      if (client.awaits(ackId)) {
        int args = content.readerIndex() + session.ackPrefix().length + Long.toString(ackId).length();
        client.onAck(ackId, content.toString(args, content.writerIndex() - args, StandardCharsets.UTF_8));
      } else {
        listener.onAck(client, ackId, content);
      }
      return;
    }
    Inbound packet = parser.parse(content.toString(StandardCharsets.UTF_8));
    if (packet instanceof Inbound.Open) {
      send(ctx, client.connectPacket());
    } else if (packet instanceof Inbound.Ping) {
      send(ctx, Packets.PONG);
    } else if (packet instanceof Inbound.Close) {
      ctx.close();
    } else if (packet instanceof Inbound.Connected connected && mine(connected.namespace())) {
      client.onConnected(connected.sid(), connected.pid());
      listener.onConnected(client);
    } else if (packet instanceof Inbound.Event event && mine(event.namespace())) {
      onEvent(content);
    } else if (packet instanceof Inbound.ConnectError error && mine(error.namespace())) {
      fail(ctx, new IllegalStateException("CONNECT refused: " + error.json()));
    } else if (packet instanceof Inbound.Disconnected disconnected && mine(disconnected.namespace())) {
      ctx.close();
    }
    // Noop, Unsupported and other namespaces' packets are ignored.
  }

  private boolean mine(String namespace) {
    return session.namespace().equals(namespace);
  }

  private void onEvent(ByteBuf content) {
    if (session.tracksRecovery()) {
      String offset = PayloadScanner.trailingString(content);
      if (offset != null) {
        session.offset(offset);
      }
    }
    listener.onEvent(client, content);
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
