package dev.parley.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Immutable settings of a {@link SocketIoServer}. Build with {@link #builder()}; every setting
 * has the default of Node.js Socket.IO 4 unless noted.
 *
 * @param host address to bind, {@code "0.0.0.0"} by default
 * @param port TCP port, 3000 by default; 0 picks a free one
 * @param path the Engine.IO endpoint, {@code "/socket.io/"} by default
 * @param transports transports clients may use
 * @param pingInterval time between two server pings
 * @param pingTimeout how long the server waits for a pong before closing the session
 * @param upgradeTimeout how long a polling→WebSocket upgrade may take
 * @param connectTimeout how long a client may stay without joining any namespace
 * @param maxPayload largest HTTP body or WebSocket message accepted, in bytes
 * @param allowedOrigins origins that browsers may connect from besides the server's own, which is
 *     always allowed (same host and port as the request's {@code Host}, https under TLS and http
 *     otherwise); empty by default, so that a page on another site cannot open a session with its
 *     visitor's cookies. {@code "*"} allows any origin. Requests without an {@code Origin} header
 *     are always allowed: only browsers send one.
 * @param tls the server's certificate and key: HTTPS and WSS on {@code port} when present, plain
 *     HTTP and WS when empty (the default)
 * @param recovery connection-state recovery settings
 * @param writeBufferLowWaterMark a socket becomes writable again below this many queued bytes
 * @param writeBufferHighWaterMark above this many queued bytes a socket drops volatile events
 * @param maxOutboundBytes above this many queued bytes a socket is disconnected as a slow consumer
 * @param ioThreads event loop threads; 0 means two per core
 * @param mapper serializes event arguments and parses incoming JSON
 * @param adapterFactory makes the adapter of each namespace
 * @param httpFallback makes, per connection, the handler for HTTP requests outside {@code path};
 *     it receives the request as {@code HttpRequest}/{@code HttpContent} messages
 * @param proxies the reverse proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto}
 *     the server believes (for a client's address and for its own origin); none by default
 */
public record ServerOptions(
    String host,
    int port,
    String path,
    Set<Transport> transports,
    Duration pingInterval,
    Duration pingTimeout,
    Duration upgradeTimeout,
    Duration connectTimeout,
    int maxPayload,
    List<String> allowedOrigins,
    Optional<SslContext> tls,
    RecoveryOptions recovery,
    int writeBufferLowWaterMark,
    int writeBufferHighWaterMark,
    long maxOutboundBytes,
    int ioThreads,
    ObjectMapper mapper,
    Function<Namespace, Adapter> adapterFactory,
    Supplier<? extends ChannelHandler> httpFallback,
    TrustedProxies proxies) {

  /** The two Engine.IO transports. */
  public enum Transport {
    POLLING("polling"),
    WEBSOCKET("websocket");

    private final String wireName;

    Transport(String wireName) {
      this.wireName = wireName;
    }

    /** The name used in the {@code transport} query parameter. */
    public String wireName() {
      return wireName;
    }
  }

  /**
   * Connection-state recovery (Socket.IO 4.6+): a client that lost its connection gets its id,
   * rooms and data back and receives what it missed, if it comes back within {@code window}.
   *
   * @param enabled whether recovery is offered at all
   * @param window how long a disconnected session is kept
   * @param skipMiddlewares whether a recovered socket skips the namespace middlewares
   * @param storeFactory makes the store that keeps the sessions and missed packets of the
   *     namespace it is given the name of
   */
  public record RecoveryOptions(
      boolean enabled, Duration window, boolean skipMiddlewares, Function<String, SessionStore> storeFactory) {
    public RecoveryOptions {
      requirePositive(window, "window");
      Objects.requireNonNull(storeFactory, "storeFactory");
    }

    /** Recovery switched off. */
    public static RecoveryOptions disabled() {
      return new RecoveryOptions(false, Duration.ofMinutes(2), true,
          namespace -> new InMemorySessionStore(Duration.ofMinutes(2)));
    }

    /** Recovery on, in memory, with the given window. */
    public static RecoveryOptions inMemory(Duration window) {
      return new RecoveryOptions(true, window, true, namespace -> new InMemorySessionStore(window));
    }
  }

  public ServerOptions {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/") || !path.endsWith("/")) {
      throw new IllegalArgumentException("path must start and end with '/': " + path);
    }
    transports = Set.copyOf(EnumSet.copyOf(transports));
    if (transports.isEmpty()) {
      throw new IllegalArgumentException("transports must not be empty");
    }
    requirePositive(pingInterval, "pingInterval");
    requirePositive(pingTimeout, "pingTimeout");
    requirePositive(upgradeTimeout, "upgradeTimeout");
    requirePositive(connectTimeout, "connectTimeout");
    if (maxPayload <= 0) {
      throw new IllegalArgumentException("maxPayload must be positive: " + maxPayload);
    }
    allowedOrigins = List.copyOf(allowedOrigins);
    Objects.requireNonNull(tls, "tls");
    if (tls.isPresent() && tls.get().isClient()) {
      throw new IllegalArgumentException("tls must be a server context, not a client one");
    }
    Objects.requireNonNull(recovery, "recovery");
    if (writeBufferLowWaterMark <= 0 || writeBufferHighWaterMark < writeBufferLowWaterMark) {
      throw new IllegalArgumentException("write buffer water marks must satisfy 0 < low <= high");
    }
    if (maxOutboundBytes < writeBufferHighWaterMark) {
      throw new IllegalArgumentException("maxOutboundBytes must be at least writeBufferHighWaterMark");
    }
    if (ioThreads < 0) {
      throw new IllegalArgumentException("ioThreads must not be negative: " + ioThreads);
    }
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(adapterFactory, "adapterFactory");
    Objects.requireNonNull(httpFallback, "httpFallback");
    Objects.requireNonNull(proxies, "proxies");
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /**
   * Whether a browser showing a page from {@code origin} may connect to this server, reached as
   * {@code host} (the request's {@code Host} header, null if it had none), over TLS if
   * {@code secure}. The server's own origin always may: the same host and port, with https under
   * TLS and http otherwise. A server behind a proxy that terminates TLS sees plain HTTP: it
   * learns the scheme from a trusted proxy's {@code X-Forwarded-Proto} (see {@link #proxies}),
   * or its public https origin must be listed.
   */
  boolean originAllowed(String origin, String host, boolean secure) {
    return originListed(origin) || SameOrigin.matches(origin, host, secure);
  }

  /** Whether {@code origin} is allowed by the list itself: the ones that need CORS headers. */
  boolean originListed(String origin) {
    return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.path = path;
    b.transports = EnumSet.copyOf(transports);
    b.pingInterval = pingInterval;
    b.pingTimeout = pingTimeout;
    b.upgradeTimeout = upgradeTimeout;
    b.connectTimeout = connectTimeout;
    b.maxPayload = maxPayload;
    b.allowedOrigins = allowedOrigins;
    b.tls = tls;
    b.recovery = recovery;
    b.writeBufferLowWaterMark = writeBufferLowWaterMark;
    b.writeBufferHighWaterMark = writeBufferHighWaterMark;
    b.maxOutboundBytes = maxOutboundBytes;
    b.ioThreads = ioThreads;
    b.mapper = mapper;
    b.adapterFactory = adapterFactory;
    b.httpFallback = httpFallback;
    b.proxies = proxies;
    return b;
  }

  /** Collects settings; {@link #build()} validates them. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 3000;
    private String path = "/socket.io/";
    private Set<Transport> transports = EnumSet.allOf(Transport.class);
    private Duration pingInterval = Duration.ofSeconds(25);
    private Duration pingTimeout = Duration.ofSeconds(20);
    private Duration upgradeTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(45);
    private int maxPayload = 1_000_000;
    private List<String> allowedOrigins = List.of();
    private Optional<SslContext> tls = Optional.empty();
    private RecoveryOptions recovery = RecoveryOptions.disabled();
    private int writeBufferLowWaterMark = 128 * 1024;
    private int writeBufferHighWaterMark = 512 * 1024;
    private long maxOutboundBytes = 8L * 1024 * 1024;
    private int ioThreads = 0;
    private ObjectMapper mapper = new ObjectMapper();
    private Function<Namespace, Adapter> adapterFactory = LocalAdapter::new;
    private Supplier<? extends ChannelHandler> httpFallback = NotFoundHandler::new;
    private TrustedProxies proxies = TrustedProxies.none();

    private Builder() {}

    public Builder host(String host) { this.host = host; return this; }
    public Builder port(int port) { this.port = port; return this; }
    public Builder path(String path) { this.path = path; return this; }
    public Builder transports(Set<Transport> transports) { this.transports = transports; return this; }
    public Builder pingInterval(Duration pingInterval) { this.pingInterval = pingInterval; return this; }
    public Builder pingTimeout(Duration pingTimeout) { this.pingTimeout = pingTimeout; return this; }
    public Builder upgradeTimeout(Duration upgradeTimeout) { this.upgradeTimeout = upgradeTimeout; return this; }
    public Builder connectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; return this; }
    public Builder maxPayload(int maxPayload) { this.maxPayload = maxPayload; return this; }
    public Builder allowedOrigins(List<String> allowedOrigins) { this.allowedOrigins = allowedOrigins; return this; }
    /** Serves HTTPS and WSS with {@code context}, a server context (see {@code SslContextBuilder.forServer}). */
    public Builder tls(SslContext context) { this.tls = Optional.of(Objects.requireNonNull(context, "tls")); return this; }
    public Builder recovery(RecoveryOptions recovery) { this.recovery = recovery; return this; }
    public Builder writeBufferWaterMarks(int low, int high) {
      this.writeBufferLowWaterMark = low;
      this.writeBufferHighWaterMark = high;
      return this;
    }
    public Builder maxOutboundBytes(long maxOutboundBytes) { this.maxOutboundBytes = maxOutboundBytes; return this; }
    public Builder ioThreads(int ioThreads) { this.ioThreads = ioThreads; return this; }
    public Builder mapper(ObjectMapper mapper) { this.mapper = mapper; return this; }
    public Builder adapterFactory(Function<Namespace, Adapter> adapterFactory) { this.adapterFactory = adapterFactory; return this; }
    public Builder httpFallback(Supplier<? extends ChannelHandler> httpFallback) { this.httpFallback = httpFallback; return this; }
    public Builder trustedProxies(TrustedProxies proxies) { this.proxies = proxies; return this; }

    /** Validates and returns the settings. */
    public ServerOptions build() {
      return new ServerOptions(host, port, path, transports, pingInterval, pingTimeout, upgradeTimeout,
          connectTimeout, maxPayload, allowedOrigins, tls, recovery, writeBufferLowWaterMark,
          writeBufferHighWaterMark, maxOutboundBytes, ioThreads, mapper, adapterFactory, httpFallback, proxies);
    }
  }
}
