package dev.parley.server;

import dev.parley.server.chat.ChatEvents;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.ChatStore;
import dev.parley.server.chat.Membership;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.MessageWriter;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.RoomPolicy;
import dev.parley.server.chat.User;
import dev.parley.server.gateway.ChatGateway;
import dev.parley.server.gateway.ChatSessionStore;
import dev.parley.server.gateway.TutorialGateway;
import dev.parley.server.http.WebFrontend;
import dev.parley.server.store.Database;
import dev.parley.server.store.IdGenerator;
import dev.parley.server.store.JdbcChatStore;
import dev.parley.socketio.InMemorySessionStore;
import dev.parley.socketio.ServerOptions;
import dev.parley.socketio.SocketIoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Parley node: the database, the group-commit writer, the chat service, the
 * Socket.IO server with its namespaces and the HTTP routes, wired together. The only class that
 * sees every part.
 */
public final class Parley implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Parley.class);
  private static final int MAX_BATCH = 1000;
  /** This node's id; one node until clustering lands. */
  private static final int NODE_ID = 0;

  private final Database database;
  private final ThreadPoolExecutor storeExecutor;
  private final MessageWriter writer;
  private final SocketIoServer socketIo;
  private final Metrics metrics;
  private final ChatGateway gateway;
  private final ChatSessionStore chatSessions;
  private final ScheduledExecutorService housekeeping;

  private Parley(Config config) {
    String url = config.db().orElseGet(() -> {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the data folder " + config.dataDir(), e);
      }
      return "jdbc:sqlite:" + config.dataDir().resolve("parley.db");
    });
    database = Database.open(url);
    ChatStore store = new JdbcChatStore(database, new IdGenerator(NODE_ID));
    storeExecutor = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000),
        daemonThreads("store"), new ThreadPoolExecutor.AbortPolicy());

    Forwarder events = new Forwarder();
    SocketIoServer[] server = new SocketIoServer[1];
    metrics = new Metrics(() -> server[0] == null ? 0 : server[0].connectionCount(), () -> backlog());
    writer = new MessageWriter(store, config.writeQueue(), MAX_BATCH, m -> events.service.delivered(m), metrics);
    // Nobody is a server admin until accounts give users a server role.
    ChatService chat = new ChatService(store, storeExecutor, writer, events, config.maxMessageLength(),
        new RoomPolicy(user -> false));
    events.service = chat;

    chatSessions = new ChatSessionStore(ChatGateway.NAMESPACE, store, storeExecutor, config.recoveryWindow(),
        NODE_ID, Clock.systemUTC(), chat::receivesNow);
    housekeeping = Executors.newSingleThreadScheduledExecutor(daemonThreads("housekeeping"));
    housekeeping.scheduleWithFixedDelay(() -> {
      try {
        storeExecutor.execute(chatSessions::expire);
      } catch (RuntimeException e) {
        log.debug("session expiry skipped: {}", e.getMessage());
      }
    }, 1, 1, TimeUnit.MINUTES);

    WebFrontend web = new WebFrontend(config.publicDir(), config.publicCsp(), chat::ready, metrics::scrape,
        storeExecutor);
    ServerOptions options = ServerOptions.builder()
        .host(config.host())
        .port(config.port())
        .allowedOrigins(config.allowedOrigins().isEmpty() ? List.of("*") : config.allowedOrigins())
        .recovery(new ServerOptions.RecoveryOptions(true, config.recoveryWindow(), true,
            namespace -> ChatGateway.NAMESPACE.equals(namespace) ? chatSessions
                : new InMemorySessionStore(config.recoveryWindow())))
        .httpFallback(web::newHandler)
        .build();
    socketIo = SocketIoServer.create(options);
    server[0] = socketIo;
    gateway = new ChatGateway(socketIo, chat);
    events.gateway = gateway;
    new TutorialGateway(socketIo, chat, gateway);
    if (!web.hasApp()) {
      log.warn("This build has no web app packed in; only the Socket.IO endpoint and --public-dir are served");
    }
  }

  private int backlog() {
    return writer == null ? 0 : writer.backlog();
  }

  /** Starts a node with {@code config}; returns once it listens. */
  public static Parley start(Config config) {
    Parley parley = new Parley(config);
    try {
      parley.socketIo.start();
    } catch (RuntimeException e) {
      parley.close();
      throw e;
    }
    return parley;
  }

  /** The port it listens on. */
  public int port() {
    return socketIo.port();
  }

  /**
   * Stops gracefully: no new connections, the queued messages are stored and acknowledged, then
   * every client is told the server is shutting down, and the database is closed.
   */
  @Override
  public void close() {
    socketIo.stopAccepting();
    writer.close();
    if (gateway != null) {
      gateway.announceShutdown();
    }
    socketIo.close();
    housekeeping.shutdownNow();
    storeExecutor.shutdown();
    try {
      storeExecutor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    database.close();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Hands the chat's events to the gateway and metrics; set up before the first event. */
  private final class Forwarder implements ChatEvents {
    volatile ChatService service;
    volatile ChatGateway gateway;

    @Override
    public void message(Room room, Message message) {
      metrics.delivered(message.ts());
      gateway.message(room, message);
    }

    @Override
    public void joined(User user, Room room) {
      gateway.joined(user, room);
    }

    @Override
    public void left(User user, Room room) {
      gateway.left(user, room);
    }

    @Override
    public void removed(User user, Room room, String reason) {
      gateway.removed(user, room, reason);
    }

    @Override
    public void roleChanged(User user, Membership membership) {
      gateway.roleChanged(user, membership);
    }

    @Override
    public void roomAdded(User user, Membership membership) {
      gateway.roomAdded(user, membership);
    }

    @Override
    public void readMoved(User user, long roomId, long unread, long lastReadSeq) {
      gateway.readMoved(user, roomId, unread, lastReadSeq);
    }
  }
}
