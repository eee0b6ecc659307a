package dev.parley.server;

import com.nimbusds.jose.jwk.ECKey;
import dev.parley.server.auth.AccountService;
import dev.parley.server.auth.AuthEvents;
import dev.parley.server.auth.EmailVerification;
import dev.parley.server.auth.Mailer;
import dev.parley.server.auth.OidcSignIn;
import dev.parley.server.auth.Principal;
import dev.parley.server.auth.Passwords;
import dev.parley.server.auth.SigningKeyFile;
import dev.parley.server.auth.TokenService;
import dev.parley.server.auth.TwoFactorService;
import dev.parley.server.chat.ChatEvents;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.ChatStore;
import dev.parley.server.chat.Membership;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.MessageWriter;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.RoomPolicy;
import dev.parley.server.chat.User;
import dev.parley.server.cluster.Cluster;
import dev.parley.server.gateway.ChatGateway;
import dev.parley.server.gateway.ClientJson;
import dev.parley.server.gateway.Authenticator;
import dev.parley.server.gateway.ChatSessionStore;
import dev.parley.server.gateway.Presence;
import dev.parley.server.limits.RateLimiter;
import dev.parley.server.gateway.TutorialGateway;
import dev.parley.server.http.AccountApi;
import dev.parley.server.http.ApiHandler;
import dev.parley.server.http.ApiRouter;
import dev.parley.server.http.AuthApi;
import dev.parley.server.http.ChatApi;
import dev.parley.server.http.OidcApi;
import dev.parley.server.http.WebFrontend;
import dev.parley.server.mail.LogMailer;
import dev.parley.server.mail.SmtpMailer;
import dev.parley.server.store.ClusterIdentity;
import dev.parley.server.store.Database;
import dev.parley.server.store.SharedSigningKey;
import dev.parley.server.store.IdGenerator;
import dev.parley.server.store.JdbcAccountStore;
import dev.parley.server.store.JdbcChatStore;
import dev.parley.server.store.JdbcEmailStore;
import dev.parley.server.store.JdbcIdentityStore;
import dev.parley.server.store.JdbcTwoFactorStore;
import dev.parley.socketio.InMemorySessionStore;
import dev.parley.socketio.ServerOptions;
import dev.parley.socketio.SocketIoServer;
import dev.parley.socketio.TrustedProxies;
import io.github.bucket4j.TimeMeter;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
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
  /** How often expired sessions, refresh tokens and one-time codes are deleted. */
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

  private final Database database;
  private final ThreadPoolExecutor storeExecutor;
  private final ThreadPoolExecutor hashExecutor;
  private final ThreadPoolExecutor mailExecutor;
  private final ThreadPoolExecutor providerExecutor;
  private final AccountService accounts;
  private final MessageWriter writer;
  private final SocketIoServer socketIo;
  private final Metrics metrics;
  private final ChatGateway gateway;
  private final ChatSessionStore chatSessions;
  private final ApiRouter router;
  private final ScheduledExecutorService housekeeping;
  /** This node's part in a cluster; null for a single node. */
  private final Cluster cluster;

  private Parley(Config config, Clock clock, TimeMeter limiterTime) {
    // Read first: a bad certificate or key stops the start before anything is opened.
    Optional<SslContext> tls = config.tls().map(TlsFiles::serverContext);
    String url = config.db().orElseGet(() -> {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the data folder " + config.dataDir(), e);
      }
      return "jdbc:sqlite:" + config.dataDir().resolve("parley.db");
    });
    int nodeId = config.clustering().nodeId();
    housekeeping = Executors.newSingleThreadScheduledExecutor(daemonThreads("housekeeping"));
    database = Database.open(url);
    // The database names the cluster: clusters on other databases may share the Redis.
    Cluster joined = null;
    if (config.clustering().redis().isPresent()) {
      try {
        joined = Cluster.join(config.clustering().redis().get(), ClusterIdentity.loadOrCreate(database), nodeId,
            housekeeping);
      } catch (RuntimeException e) {
        database.close();
        housekeeping.shutdownNow();
        throw e;
      }
    }
    cluster = joined;
    // One generator for both stores: both make users, and ids must not collide.
    IdGenerator ids = new IdGenerator(nodeId);
    ChatStore store = new JdbcChatStore(database, ids);
    storeExecutor = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000),
        daemonThreads("store"), new ThreadPoolExecutor.AbortPolicy());
    // Password hashing: 19 MiB and tens of milliseconds each, so few at a time, and a short queue
    // beyond which sign-ins are refused as overloaded rather than piling up.
    hashExecutor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(200),
        daemonThreads("password"), new ThreadPoolExecutor.AbortPolicy());
    // Mail waits on a remote server (seconds, at worst its timeouts): a few threads of its own.
    mailExecutor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100),
        daemonThreads("mail"), new ThreadPoolExecutor.AbortPolicy());
    // Calls to OpenID Connect providers: HTTP with 5-second timeouts, kept off the store threads.
    providerExecutor = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100),
        daemonThreads("oidc"), new ThreadPoolExecutor.AbortPolicy());
    // A cluster's nodes share one key, in the database; a single node keeps its own in its data folder.
    Path keyFile = SigningKeyFile.in(config.dataDir());
    ECKey signingKey = cluster == null ? SigningKeyFile.loadOrCreate(keyFile)
        : SharedSigningKey.loadOrStore(database,
            () -> Files.exists(keyFile) ? SigningKeyFile.loadOrCreate(keyFile) : SigningKeyFile.generate());
    TokenService tokens = new TokenService(signingKey, clock);
    // Revoked credentials close their Socket.IO connections; the gateway comes later.
    AuthEvents authEvents = new AuthEvents() {
      @Override
      public void sessionRevoked(String sessionId) {
        if (Parley.this.gateway != null) {
          Parley.this.gateway.sessionRevoked(sessionId);
        }
      }

      @Override
      public void personalTokenRevoked(String tokenId) {
        if (Parley.this.gateway != null) {
          Parley.this.gateway.personalTokenRevoked(tokenId);
        }
      }

      @Override
      public void userRevoked(long userId) {
        if (Parley.this.gateway != null) {
          Parley.this.gateway.userRevoked(userId);
        }
      }
    };
    JdbcAccountStore accountStore = new JdbcAccountStore(database, ids);
    Set<Long> admins = Set.copyOf(accountStore.setAdmins(config.admins().stream()
        .map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet())));
    if (admins.size() < config.admins().size()) {
      log.warn("--admins names {} accounts but only {} exist; register them and start again", config.admins().size(),
          admins.size());
    }
    Passwords passwords = new Passwords();
    TwoFactorService twoFactor = new TwoFactorService(new JdbcTwoFactorStore(database), accountStore, passwords,
        storeExecutor, hashExecutor, "Parley", clock);
    accounts = new AccountService(accountStore, tokens, passwords, storeExecutor,
        hashExecutor, authEvents, twoFactor, clock);
    Mailer mailer = config.mail().host().isPresent() ? new SmtpMailer(config.mail()) : new LogMailer();
    if (config.mail().host().isEmpty()) {
      log.info("No --smtp-host is set: email verification codes are written to this log");
    }
    RateLimiter limiter = new RateLimiter(config.limits(), limiterTime);
    EmailVerification email = new EmailVerification(accountStore, new JdbcEmailStore(database), mailer,
        storeExecutor, hashExecutor, mailExecutor, limiter::emailCode, clock);
    boolean secureCookies = config.secureCookies() || config.tls().isPresent();
    AuthApi api = new AuthApi(accounts, twoFactor, limiter, secureCookies);
    AccountApi accountApi = new AccountApi(accounts, email, limiter, secureCookies);
    OidcSignIn oidc = new OidcSignIn(config.oidc().providers(), new JdbcIdentityStore(database, ids), accounts,
        providerExecutor, storeExecutor, signingKey, clock);
    OidcApi oidcApi = new OidcApi(oidc, config.oidc().publicUrl(), secureCookies);

    Forwarder events = new Forwarder();
    SocketIoServer[] server = new SocketIoServer[1];
    metrics = new Metrics(() -> server[0] == null ? 0 : server[0].connectionCount(), () -> backlog());
    // A single node delivers each batch as it commits; a cluster's nodes each deliver every node's
    // messages in id order, through the cluster's sequencer.
    Cluster clustered = cluster;
    writer = new MessageWriter(store, config.writeQueue(), MAX_BATCH,
        clustered == null ? batch -> batch.forEach(m -> events.service.delivered(m)) : clustered::committed, metrics);
    // Server admins are the accounts named by --admins.
    ChatService chat = new ChatService(store, storeExecutor, writer, events, config.maxMessageLength(),
        new RoomPolicy(user -> user.kind() == User.Kind.ACCOUNT && admins.contains(user.id())));
    events.service = chat;
    if (cluster != null) {
      cluster.onMembershipChange(chat::membershipsChanged);
      cluster.startDelivery(store, chat::delivered);
    }
    ChatApi chatApi = new ChatApi(chat, accounts, limiter,
        userId -> Parley.this.gateway != null && Parley.this.gateway.isOnline(userId));
    router = ApiRouter.of(api, accountApi, chatApi, oidcApi);

    chatSessions = new ChatSessionStore(ChatGateway.NAMESPACE, store, storeExecutor, config.recoveryWindow(),
        nodeId, Clock.systemUTC(), chat::receivesNow,
        cluster == null ? node -> false : node -> node != nodeId && !clustered.isRunning(node));
    housekeeping.scheduleWithFixedDelay(() -> {
      try {
        storeExecutor.execute(chatSessions::expire);
      } catch (RuntimeException e) {
        log.debug("session expiry skipped: {}", e.getMessage());
      }
    }, 1, 1, TimeUnit.MINUTES);
    housekeeping.scheduleWithFixedDelay(() -> purgeExpired(email), PURGE_INTERVAL.toMinutes(),
        PURGE_INTERVAL.toMinutes(), TimeUnit.MINUTES);

    TrustedProxies proxies = TrustedProxies.of(config.trustedProxies());
    WebFrontend web = new WebFrontend(config.publicDir(), config.publicCsp(),
        cluster == null ? chat::ready : () -> chat.ready().thenApply(ok -> ok && clustered.isUp()), metrics::scrape,
        storeExecutor);
    ServerOptions.Builder options = ServerOptions.builder()
        .host(config.host())
        .port(config.port())
        .allowedOrigins(config.allowedOrigins())
        .trustedProxies(proxies)
        .mapper(ClientJson.mapper())
        .recovery(new ServerOptions.RecoveryOptions(true, config.recoveryWindow(), true,
            namespace -> ChatGateway.NAMESPACE.equals(namespace) ? chatSessions
                : new InMemorySessionStore(config.recoveryWindow())))
        .httpFallback(() -> ApiHandler.before(router, proxies, web.newHandler()));
    if (cluster != null) {
      options.adapterFactory(cluster.adapters());
    }
    tls.ifPresent(options::tls);
    socketIo = SocketIoServer.create(options.build());
    server[0] = socketIo;
    metrics.watch(limiter);
    housekeeping.scheduleWithFixedDelay(limiter::sweep, 1, 1, TimeUnit.MINUTES);
    housekeeping.scheduleWithFixedDelay(() -> {
      try {
        storeExecutor.execute(twoFactor::sweep);
      } catch (RuntimeException e) {
        log.debug("sign-in challenge expiry skipped: {}", e.getMessage());
      }
    }, 5, 5, TimeUnit.MINUTES);
    AccountService accountService = accounts;
    Authenticator authenticator = new Authenticator() {
      @Override
      public CompletableFuture<Optional<Principal>> authenticate(String cookie, String bearer) {
        return accountService.authenticate(cookie, bearer);
      }

      @Override
      public CompletableFuture<Optional<Principal>> revalidate(Principal principal) {
        return accountService.revalidate(principal);
      }

      @Override
      public boolean hasSessionCookie(String cookie) {
        return AccountService.sessionCookie(cookie).isPresent();
      }
    };
    gateway = new ChatGateway(socketIo, chat, limiter, authenticator, config.guests(), config.presenceGrace(),
        cluster == null ? Presence.local() : cluster.presence());
    events.gateway = gateway;
    new TutorialGateway(socketIo, chat, gateway, limiter);
    if (!web.hasApp()) {
      log.warn("This build has no web app packed in; only the Socket.IO endpoint and --public-dir are served");
    }
  }

  private int backlog() {
    return writer == null ? 0 : writer.backlog();
  }

  /** Deletes expired sessions, refresh tokens and one-time codes; a failure waits for the next round. */
  private void purgeExpired(EmailVerification email) {
    accounts.purgeExpired().thenCombine(email.purgeExpired(), (purged, codes) -> {
      log.debug("Purged {} sessions, {} refresh tokens and {} email codes", purged.sessions(), purged.refreshTokens(),
          codes);
      return null;
    }).exceptionally(e -> {
      log.warn("Could not purge expired credentials: {}", AccountService.unwrap(e).getMessage());
      return null;
    });
  }

  /** Starts a node with {@code config}; returns once it listens. */
  public static Parley start(Config config) {
    return start(config, Clock.systemUTC(), TimeMeter.SYSTEM_NANOTIME);
  }

  /**
   * Starts a node whose accounts, codes and rate limits read time from {@code clock}, for tests
   * that move time instead of waiting.
   */
  static Parley start(Config config, Clock clock) {
    return start(config, clock, new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return TimeUnit.MILLISECONDS.toNanos(clock.millis());
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    });
  }

  private static Parley start(Config config, Clock clock, TimeMeter limiterTime) {
    Parley parley = new Parley(config, clock, limiterTime);
    try {
      parley.socketIo.start();
    } catch (RuntimeException e) {
      parley.close();
      throw e;
    }
    return parley;
  }

  /** Accounts and authentication, e.g. for a Socket.IO handshake. */
  public AccountService accounts() {
    return accounts;
  }

  /** The routes of its HTTP API, each as {@code "METHOD /api/v1/path/{param}"}. */
  public List<String> apiRoutes() {
    return router.routes();
  }

  /** The port it listens on. */
  public int port() {
    return socketIo.port();
  }

  /** Whether it serves HTTPS and WSS rather than plain HTTP and WS. */
  public boolean secure() {
    return socketIo.options().tls().isPresent();
  }

  /**
   * Stops gracefully: no new connections, the queued messages are stored and acknowledged, then
   * every client is told the server is shutting down, and the database is closed.
   */
  @Override
  public void close() {
    socketIo.stopAccepting();
    writer.close();
    if (cluster != null) {
      // Delivers what the writer committed last, then leaves the cluster.
      cluster.close();
    }
    if (gateway != null) {
      gateway.announceShutdown();
    }
    socketIo.close();
    housekeeping.shutdownNow();
    hashExecutor.shutdown();
    mailExecutor.shutdown();
    providerExecutor.shutdownNow();
    storeExecutor.shutdown();
    try {
      hashExecutor.awaitTermination(5, TimeUnit.SECONDS);
      mailExecutor.awaitTermination(5, TimeUnit.SECONDS);
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
      membershipChanged(user);
      gateway.joined(user, room);
    }

    @Override
    public void left(User user, Room room) {
      membershipChanged(user);
      gateway.left(user, room);
    }

    @Override
    public void removed(User user, Room room, String reason) {
      membershipChanged(user);
      gateway.removed(user, room, reason);
    }

    @Override
    public void roleChanged(User user, Membership membership) {
      membershipChanged(user);
      gateway.roleChanged(user, membership);
    }

    @Override
    public void roomAdded(User user, Membership membership) {
      gateway.roomAdded(user, membership);
    }

    /** The other nodes of a cluster read the user's rooms and roles again. */
    private void membershipChanged(User user) {
      if (cluster != null) {
        cluster.membershipChanged(user.id());
      }
    }

    @Override
    public void readMoved(User user, long roomId, long unread, long lastReadSeq) {
      gateway.readMoved(user, roomId, unread, lastReadSeq);
    }
  }
}
