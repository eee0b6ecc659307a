package dev.parley.server;

import dev.parley.socketio.ServerOptions;
import dev.parley.socketio.SocketIoServer;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Parley. For now it serves the Socket.IO endpoint with the tutorial's broadcast: every
 * {@code chat message} event a client sends reaches every connected client. The chat server
 * proper (accounts, rooms, history, web app) builds on this.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    int port = 3000;
    for (int i = 0; i < args.length; i++) {
      if ("--port".equals(args[i]) && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else if ("--help".equals(args[i])) {
        System.out.println("Usage: java -jar parley.jar [--port N]");
        return;
      }
    }
    SocketIoServer server = SocketIoServer.create(ServerOptions.builder().port(port).build());
    server.sockets().onConnection(socket ->
        socket.on("chat message", (a, ack) -> server.emit("chat message", a.list().toArray())));
    server.start();
    log.info("Parley is listening on http://localhost:{}/ (Socket.IO endpoint /socket.io/)", server.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
