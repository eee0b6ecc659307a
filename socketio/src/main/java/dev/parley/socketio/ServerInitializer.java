package dev.parley.socketio;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Builds the pipeline of each accepted connection: TLS when configured, HTTP codec, Engine.IO,
 * then the fallback. A client that does not speak TLS to a TLS port fails the handshake and is
 * closed; the server goes on.
 */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  static final String TLS = "tls";
  static final String FALLBACK = "http-fallback";

  private final EngineServer engine;

  ServerInitializer(EngineServer engine) {
    this.engine = engine;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    engine.options().tls().ifPresent(tls -> p.addLast(TLS, tls.newHandler(ch.alloc())));
    p.addLast("http", new HttpServerCodec(8192, 16384, 8192));
    p.addLast(EngineIoHttpHandler.NAME, new EngineIoHttpHandler(engine));
    p.addLast(FALLBACK, engine.options().httpFallback().get());
  }
}
