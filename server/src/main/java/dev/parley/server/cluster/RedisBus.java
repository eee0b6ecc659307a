package dev.parley.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes' line to each other over Redis: pub/sub channels, and the liveness key each node
 * keeps alive while it runs. One connection publishes (Lettuce pipelines the commands of every
 * thread on it), one subscribes; both reconnect by themselves and the subscriptions come back
 * with them. While Redis is away a publish fails at once rather than piling up: what the other
 * nodes must not miss (messages) they read from the database, the rest is of the moment.
 * Thread-safe.
 */
public final class RedisBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
  /** How long a node counts as running after its last heartbeat. */
  static final Duration NODE_TTL = Duration.ofSeconds(15);
  static final Duration HEARTBEAT = Duration.ofSeconds(3);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> commands;
  private final StatefulRedisPubSubConnection<String, String> subscriber;
  private final Map<String, Consumer<String>> listeners = new ConcurrentHashMap<>();
  private final int nodeId;
  private final String cluster;
  /** Starts every key and channel of this cluster: {@code parley:<cluster name>:}. */
  private final String prefix;
  /** This run's mark in the liveness key, to tell it from an earlier run of the same node id. */
  private final String instance = UUID.randomUUID().toString();
  private final AtomicLong failedPublishes = new AtomicLong();
  /** Told when the connection to Redis is back after a loss. */
  private final List<Runnable> reconnectListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Whether the subscriber connection was lost since it last came up. */
  private final java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
  /** What isRunning last found out about each node, and when. */
  private final Map<Integer, Liveness> liveness = new ConcurrentHashMap<>();
  private static final long LIVENESS_FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The Redis client id of this process's subscriber connection. */
  private final long subscriberId;

  private RedisBus(RedisClient client, StatefulRedisConnection<String, String> commands,
      StatefulRedisPubSubConnection<String, String> subscriber, String cluster, int nodeId) {
    this.prefix = "parley:" + cluster + ":";
    this.cluster = cluster;
    this.client = client;
    this.commands = commands;
    this.subscriber = subscriber;
    this.nodeId = nodeId;
    this.subscriberId = subscriber.sync().clientId();
    // The subscriptions come back with the connection; what was said meanwhile did not.
    subscriber.addListener(new io.lettuce.core.RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
        lost.set(true);
      }

      @Override
      public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection,
          java.net.SocketAddress address) {
        if (lost.compareAndSet(true, false)) {
          reconnectListeners.forEach(r -> {
            try {
              r.run();
            } catch (RuntimeException e) {
              log.warn("after Redis came back: {}", e.toString());
            }
          });
        }
      }
    });
    subscriber.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        Consumer<String> listener = listeners.get(channel);
        if (listener == null) {
          return;
        }
        try {
          listener.accept(message);
        } catch (RuntimeException e) {
          log.warn("a cluster message on {} could not be handled: {}", channel, e.toString());
        }
      }
    });
  }

  /**
   * Connects to Redis at {@code url} ({@code redis://host:port}, {@code rediss://…} for TLS) as
   * node {@code nodeId} of the cluster named {@code cluster}, and claims the node id: a start
   * fails when another running node of the cluster holds it.
   */
  public static RedisBus connect(String url, String cluster, int nodeId) {
    RedisURI uri;
    try {
      uri = RedisURI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--redis: not a Redis URL: " + url);
    }
    uri.setTimeout(Duration.ofSeconds(2));
    uri.setClientName(clientName(cluster, nodeId));
    // Back within a second of Redis coming back, rather than Lettuce's default of up to 30 s.
    ClientResources resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
        .build());
    StatefulRedisConnection<String, String> commands = null;
    try {
      commands = client.connect();
      StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
      RedisBus bus = new RedisBus(client, commands, subscriber, cluster, nodeId);
      bus.claim();
      return bus;
    } catch (RedisConnectionException e) {
      if (commands != null) {
        commands.close();
      }
      client.shutdown();
      resources.shutdown();
      throw new IllegalStateException("cannot reach Redis at " + uri.getHost() + ":" + uri.getPort() + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (commands != null) {
        commands.close();
      }
      client.shutdown();
      resources.shutdown();
      throw e;
    }
  }

  /**
   * Takes the node id: refused when a node connected to Redis holds it; taken over from a run
   * that was killed (its key outlives it by up to {@link #NODE_TTL}, its connections do not).
   */
  private void claim() {
    String key = key("node:" + nodeId);
    String ok = commands.sync().set(key, instance, SetArgs.Builder.nx().px(NODE_TTL.toMillis()));
    if ("OK".equals(ok)) {
      return;
    }
    boolean held;
    try {
      held = connected(nodeId, true);
    } catch (RuntimeException e) {
      // A Redis that does not let clients list each other (ACLs): the claim's expiry must tell.
      log.info("Node id {} is held; waiting up to {} s for the claim to lapse ({})", nodeId, NODE_TTL.toSeconds(),
          e.getMessage());
      held = !waitForExpiry(key);
    }
    if (held) {
      throw new IllegalStateException("node id " + nodeId + " is held by another running node: give each node "
          + "its own --node-id");
    }
    log.info("Node id {} was held by an earlier run that stopped without giving it up; taking it over", nodeId);
    commands.sync().set(key, instance, SetArgs.Builder.px(NODE_TTL.toMillis()));
  }

  /** Waits, at most a claim's lifetime, until {@code key} is gone; whether it is. Blocks. */
  private boolean waitForExpiry(String key) {
    long deadline = System.nanoTime() + NODE_TTL.plusSeconds(2).toNanos();
    while (System.nanoTime() < deadline) {
      Long ttl = commands.sync().pttl(key);
      if (ttl == null || ttl == -2) {
        return true;
      }
      try {
        // The key's own expiry is the event awaited; Redis has no notice of it without keyspace events.
        Thread.sleep(Math.max(10, Math.min(ttl, 500)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /**
   * Whether a node with id {@code id} has a connection to Redis (every node names its connections
   * after its id; a killed process's connections close with it). Blocks for a round trip.
   *
   * @param other whether to leave this process's own connections out
   */
  private boolean connected(int id, boolean other) {
    String name = " name=" + clientName(cluster, id) + " ";
    List<String> own = other ? List.of("id=" + commands.sync().clientId() + " ", "id=" + subscriberId + " ")
        : List.of();
    for (String line : commands.sync().clientList().split("\n")) {
      if ((line.strip() + " ").contains(name) && own.stream().noneMatch(line::startsWith)) {
        return true;
      }
    }
    return false;
  }

  static String clientName(String cluster, int nodeId) {
    return "parley-" + cluster + "-node-" + nodeId;
  }

  /** The Redis key or channel {@code name} of this cluster. */
  String key(String name) {
    return prefix + name;
  }

  /** Keeps this node's liveness key alive every few seconds on {@code scheduler}. */
  public void startHeartbeat(ScheduledExecutorService scheduler) {
    scheduler.scheduleWithFixedDelay(() -> {
      // Never throws: a scheduled task that throws is never run again.
      try {
        commands.async().set(key("node:" + nodeId), instance, SetArgs.Builder.px(NODE_TTL.toMillis()))
            .exceptionally(e -> {
              log.debug("heartbeat not written: {}", e.toString());
              return null;
            });
      } catch (RuntimeException e) {
        log.debug("heartbeat not written: {}", e.toString());
      }
    }, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Whether node {@code id} runs, by its liveness key. Blocks for at most the command timeout;
   * when Redis cannot say, the node counts as running (the cautious answer).
   */
  public boolean isRunning(int id) {
    // A reconnect storm asks once per recovering client: one look at Redis a second serves them all.
    long now = System.nanoTime();
    Liveness known = liveness.get(id);
    if (known != null && now - known.at() < LIVENESS_FRESH_NANOS) {
      return known.running();
    }
    boolean running;
    try {
      running = connected(id, false);
    } catch (RuntimeException e) {
      // Clients may not list each other (ACLs): the liveness key alone tells, up to NODE_TTL late.
      running = keyExists(id);
    }
    liveness.put(id, new Liveness(running, now));
    return running;
  }

  private record Liveness(boolean running, long at) {}

  /**
   * Whether node {@code id} may still be running: its connections are open, or its liveness key
   * has not expired yet (a node cut off from Redis for a moment keeps its key for up to
   * {@link #NODE_TTL}). The cautious question, for taking over what a node held for good.
   * Blocks for a round trip or two.
   */
  public boolean mayBeRunning(int id) {
    if (keyExists(id)) {
      return true;
    }
    try {
      return connected(id, false);
    } catch (RuntimeException e) {
      // Clients may not list each other (ACLs): its lapsed key says it is gone.
      return false;
    }
  }

  /** Whether node {@code id}'s liveness key exists; true when Redis cannot say. Blocks. */
  private boolean keyExists(int id) {
    try {
      Long n = commands.sync().exists(key("node:" + id));
      return n == null || n > 0;
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** Calls {@code runnable} each time the connection to Redis comes back after it was lost. */
  public void onReconnect(Runnable runnable) {
    reconnectListeners.add(runnable);
  }

  /** Calls {@code listener} with each message published on {@code channel}, on Lettuce's thread. */
  public void subscribe(String channel, Consumer<String> listener) {
    listeners.put(Objects.requireNonNull(channel), listener);
    subscriber.sync().subscribe(channel);
  }

  /** Publishes {@code message}; never blocks. A message Redis did not take is counted and logged. */
  public void publish(String channel, String message) {
    try {
      commands.async().publish(channel, message).exceptionally(e -> {
        failed(channel, e);
        return null;
      });
    } catch (RuntimeException e) {
      failed(channel, e);
    }
  }

  private void failed(String channel, Throwable e) {
    if (failedPublishes.incrementAndGet() % 1000 == 1) {
      log.warn("cluster messages on {} are not reaching Redis ({} so far): {}", channel, failedPublishes.get(),
          e.toString());
    }
  }

  /** Commands on the shared connection, for this package's own keys (pipelined, non-blocking). */
  io.lettuce.core.api.async.RedisAsyncCommands<String, String> commands() {
    return commands.async();
  }

  /** Blocking commands on the shared connection, for this package's own keys; off event loops only. */
  io.lettuce.core.api.sync.RedisCommands<String, String> syncCommands() {
    return commands.sync();
  }

  /** How many connections subscribe to {@code channel}: one per node for the channels every node takes. */
  public CompletableFuture<Long> subscribers(String channel) {
    try {
      return commands.async().pubsubNumsub(channel).toCompletableFuture().thenApply(m -> m.getOrDefault(channel, 0L));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Whether both connections to Redis are up. */
  public boolean isUp() {
    return commands.isOpen() && subscriber.isOpen();
  }

  /** This node's id. */
  public int nodeId() {
    return nodeId;
  }

  /** Gives the node id up and disconnects. */
  @Override
  public void close() {
    try {
      String key = key("node:" + nodeId);
      if (instance.equals(commands.sync().get(key))) {
        commands.sync().del(key);
      }
    } catch (RuntimeException e) {
      log.debug("node id {} not given up: {}", nodeId, e.toString());
    }
    subscriber.close();
    commands.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
  }
}
