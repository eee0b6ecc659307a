package dev.parley.socketio;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.List;

/**
 * The reference behaviour that the official Engine.IO and Socket.IO protocol test suites expect,
 * on one port: an Engine.IO echo endpoint at {@code /engine.io/} (every message sent back) and a
 * Socket.IO endpoint at {@code /socket.io/}, whose {@code /} and {@code /custom} namespaces emit
 * {@code auth} with the handshake's auth to each new socket; in {@code /}, {@code message} is
 * echoed as {@code message-back} and {@code message-with-ack} is acknowledged with its arguments.
 * pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1,000,000, connectTimeout 1,000 ms, any
 * origin. Started by {@code bin/conformance-server [port]}.
 */
public final class ConformanceServer {
  private ConformanceServer() {}

  /** Starts the server on the port given as the first argument, 3000 by default. */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    start(port);
  }

  /** Starts the server on {@code port} (0 for any) and returns it. */
  public static SocketIoServer start(int port) {
    ServerOptions base = ServerOptions.builder()
        .port(port)
        .pingInterval(Duration.ofMillis(300))
        .pingTimeout(Duration.ofMillis(200))
        .maxPayload(1_000_000)
        .connectTimeout(Duration.ofMillis(1000))
        .allowedOrigins(List.of("*"))
        .build();
    EngineServer echo = new EngineServer(base.toBuilder().path("/engine.io/").build(), ConformanceServer::echo);
    ServerOptions options = base.toBuilder().httpFallback(() -> new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new EngineIoHttpHandler(echo), new NotFoundHandler());
      }
    }).build();
    SocketIoServer server = SocketIoServer.create(options);
    for (String name : List.of("/", "/custom")) {
      server.namespace(name).onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
    }
    server.sockets().onConnection(socket -> {
      socket.on("message", (a, ack) -> socket.emit("message-back", a.list().toArray()));
      socket.on("message-with-ack", (a, ack) -> ack.send(a.list().toArray()));
    });
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "conformance-server-shutdown"));
    return server;
  }

  private static EngineSession.Listener echo(EngineSession session) {
    return new EngineSession.Listener() {
      @Override
      public void onMessage(String text) {
        session.send(EnginePackets.text(io.netty.buffer.ByteBufAllocator.DEFAULT, EnginePackets.MESSAGE, text), false);
      }

      @Override
      public void onBinary(byte[] data) {
        session.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)), false);
      }

      @Override
      public void onClose(DisconnectReason reason) {}
    };
  }
}
