package dev.parley.bench;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;

/**
 * The pipeline of one generator connection. The HTTP handlers only serve the WebSocket
 * handshake; the handshaker swaps them for the WebSocket frame codec when it completes.
 */
final class BenchClientInitializer extends ChannelInitializer<SocketChannel> {
  private final WebSocketClientProtocolConfig webSocket;
  private final BenchClient client;
  private final ClientListener listener;
  private final PacketParser parser;

  BenchClientInitializer(WebSocketClientProtocolConfig webSocket, BenchClient client, ClientListener listener,
      PacketParser parser) {
    this.webSocket = webSocket;
    this.client = client;
    this.listener = listener;
    this.parser = parser;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    client.attach(ch);
    ch.pipeline()
        .addLast(new HttpClientCodec())
        .addLast(new HttpObjectAggregator(8192))
        .addLast(new WebSocketClientProtocolHandler(webSocket))
        .addLast(new BenchClientHandler(client, listener, parser));
  }
}
