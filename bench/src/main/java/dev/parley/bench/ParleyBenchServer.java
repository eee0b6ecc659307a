package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.socketio.Ack;
import dev.parley.socketio.Args;
import dev.parley.socketio.Namespace;
import dev.parley.socketio.ServerOptions;
import dev.parley.socketio.Socket;
import dev.parley.socketio.SocketIoServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The Parley side of the benchmarks: the same events as the Node.js peer ({@code bench/peer/
 * server.js}), on {@link SocketIoServer}, so the generator drives both with the same packets.
 *
 * <ul>
 *   <li>{@code join {room}} joins the room; acks {@code {room}} when asked
 *   <li>{@code leave {room}} leaves it; acks {@code {room}} when asked
 *   <li>{@code message {room, ...}} emits {@code message} with the same object to the room
 *   <li>{@code dm {to, ...}} emits {@code dm} with the same object to the socket {@code to}
 *   <li>{@code stats} runs a full GC and acks {@code {heapUsed, rss, connections}}
 * </ul>
 *
 * <p>Usage: {@code java -cp parley-bench.jar dev.parley.bench.ParleyBenchServer [port]
 * [ioThreads]}; ioThreads defaults to the processors this process may run on.
 */
public final class ParleyBenchServer {
  private final SocketIoServer server;
  private final Namespace main;

  ParleyBenchServer(ServerOptions options) {
    this.server = SocketIoServer.create(options);
    this.main = server.sockets();
    main.onConnection(this::register);
  }

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int ioThreads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    ServerOptions options = ServerOptions.builder()
        .host("127.0.0.1")
        .port(port)
        .ioThreads(ioThreads)
        .transports(EnumSet.allOf(ServerOptions.Transport.class))
        .build();
    ParleyBenchServer bench = new ParleyBenchServer(options);
    bench.server.start();
    System.out.printf("parley bench server listening on 127.0.0.1:%d (%d io threads)%n", bench.server.port(), ioThreads);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // A benchmark server must not outlive its run: give the graceful close a few seconds.
      Thread closer = new Thread(bench.server::close, "close");
      closer.setDaemon(true);
      closer.start();
      try {
        closer.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  private void register(Socket socket) {
    socket.on("join", (args, ack) -> {
      Optional<String> room = text(args, "room");
      room.ifPresent(socket::join);
      answer(ack, room.map(r -> Map.<String, Object>of("room", r)).orElse(Map.of("error", "room required")));
    });
    socket.on("leave", (args, ack) -> {
      Optional<String> room = text(args, "room");
      room.ifPresent(socket::leave);
      answer(ack, room.map(r -> Map.<String, Object>of("room", r)).orElse(Map.of("error", "room required")));
    });
    socket.on("message", (args, ack) -> {
      Optional<String> room = text(args, "room");
      room.ifPresent(r -> main.to(r).emit("message", args.get(0)));
      answer(ack, room.isPresent() ? Map.of("ok", true) : Map.of("error", "room required"));
    });
    socket.on("dm", (args, ack) -> {
      Optional<String> to = text(args, "to");
      to.ifPresent(id -> main.to(id).emit("dm", args.get(0)));
      answer(ack, to.isPresent() ? Map.of("ok", true) : Map.of("error", "to required"));
    });
    socket.on("stats", (args, ack) -> answer(ack, stats()));
  }

  /**
   * A full collection, then the live heap. Runs on an event loop and blocks it for the GC: fine
   * for a benchmark's measuring probe, which asks when nothing else is going on.
   */
  private Map<String, Object> stats() {
    System.gc();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long rss = ProcessStats.rssBytes(ProcessHandle.current().pid());
    return Map.of(
        "heapUsed", memory.getHeapMemoryUsage().getUsed(),
        "external", memory.getNonHeapMemoryUsage().getUsed(),
        "rss", rss,
        "connections", server.connectionCount(),
        "gc", true);
  }

  private static Optional<String> text(Args args, String field) {
    JsonNode value = args.get(0).path(field);
    return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }

  private static void answer(Ack ack, Map<String, Object> body) {
    if (ack.requested()) {
      ack.send(body);
    }
  }
}
