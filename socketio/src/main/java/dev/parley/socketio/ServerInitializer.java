package dev.parley.socketio;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

/** Builds the pipeline of each accepted connection: HTTP codec, Engine.IO, then the fallback. */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  static final String FALLBACK = "http-fallback";

  private final EngineServer engine;

  ServerInitializer(EngineServer engine) {
    this.engine = engine;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    p.addLast("http", new HttpServerCodec(8192, 16384, 8192));
    p.addLast(EngineIoHttpHandler.NAME, new EngineIoHttpHandler(engine));
    p.addLast(FALLBACK, engine.options().httpFallback().get());
  }
}
