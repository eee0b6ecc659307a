package dev.parley.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.chat.User;
import dev.parley.server.gateway.Presence;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence across the nodes of a cluster, kept in Redis with the nodes' lifetimes. Each node
 * keeps the users it has connections for in a hash of its own ({@code parley:presence:<node>},
 * expiring with the node's liveness key), tells the others of each change on a channel, and so
 * knows from memory who is online elsewhere. Whether a change is announced is settled once for
 * the whole cluster by the set {@code parley:announced}: the node whose {@code SADD} adds a user
 * announces it online, the one whose {@code SREM} removes it announces it offline. When a node
 * stops without a word (killed), its hash lapses with it; the first node to notice takes its
 * users over and announces those left with no connection anywhere offline.
 */
final class ClusterPresence implements Presence {
  private static final Logger log = LoggerFactory.getLogger(ClusterPresence.class);
  static final String CHANNEL = "parley:presence";
  static final String ANNOUNCED = "parley:announced";
  private static final String HASH = "parley:presence:";

  private final RedisBus bus;
  private final RedisAsyncCommands<String, String> redis;
  private final ObjectMapper json = new ObjectMapper();
  private final String mine;
  /** The nodes other than this one on which each user is online, from their notices. */
  private final Map<Long, Set<Integer>> elsewhere = new ConcurrentHashMap<>();
  /** The users seen online elsewhere, to announce them should their node vanish. */
  private final Map<Long, User> known = new ConcurrentHashMap<>();
  /** Set once, before the first change. */
  private volatile BiConsumer<User, Boolean> announce = (user, online) -> {};

  ClusterPresence(RedisBus bus, ScheduledExecutorService scheduler) {
    this.bus = bus;
    this.redis = bus.commands();
    this.mine = HASH + bus.nodeId();
    bus.subscribe(CHANNEL, this::notice);
    // What this node holds starts empty: a hash left by an earlier run of this node id is stale.
    redis.del(mine);
    load();
    long period = RedisBus.HEARTBEAT.toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onAnnounce(BiConsumer<User, Boolean> announce) {
    this.announce = announce;
  }

  // Without Redis (down, or this node leaving) each node tells its own clients: better twice than never.

  @Override
  public CompletableFuture<Boolean> claimOnline(User user) {
    String id = Long.toString(user.id());
    try {
      redis.hset(mine, id, describe(user));
      redis.pexpire(mine, RedisBus.NODE_TTL.toMillis());
      publish(user, true);
      return redis.sadd(ANNOUNCED, id).toCompletableFuture().thenApply(n -> n != null && n == 1)
          .exceptionally(e -> true);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(true);
    }
  }

  @Override
  public CompletableFuture<Boolean> claimOffline(User user) {
    try {
      redis.hdel(mine, Long.toString(user.id()));
      publish(user, false);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(!onlineElsewhere(user.id()));
    }
    if (onlineElsewhere(user.id())) {
      return CompletableFuture.completedFuture(false);
    }
    return srem(user.id());
  }

  @Override
  public boolean onlineElsewhere(long userId) {
    Set<Integer> nodes = elsewhere.get(userId);
    return nodes != null && !nodes.isEmpty();
  }

  private CompletableFuture<Boolean> srem(long userId) {
    try {
      return redis.srem(ANNOUNCED, Long.toString(userId)).toCompletableFuture()
          .thenApply(n -> n != null && n == 1).exceptionally(e -> true);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(true);
    }
  }

  // ---- what the other nodes say ----------------------------------------------------------------

  private String describe(User user) {
    ObjectNode out = json.createObjectNode();
    out.put("name", user.name());
    out.put("kind", user.kind().name());
    return out.toString();
  }

  private void publish(User user, boolean online) {
    ObjectNode out = json.createObjectNode();
    out.put("node", bus.nodeId());
    out.put("user", user.id());
    out.put("name", user.name());
    out.put("kind", user.kind().name());
    out.put("online", online);
    bus.publish(CHANNEL, out.toString());
  }

  private void notice(String text) {
    JsonNode in;
    try {
      in = json.readTree(text);
    } catch (java.io.IOException e) {
      return;
    }
    int node = in.path("node").asInt(-1);
    if (node == bus.nodeId() || node < 0) {
      return;
    }
    User user = new User(in.path("user").asLong(), in.path("name").asText(),
        User.Kind.valueOf(in.path("kind").asText("GUEST")));
    if (in.path("online").asBoolean()) {
      known.put(user.id(), user);
      elsewhere.computeIfAbsent(user.id(), id -> ConcurrentHashMap.newKeySet()).add(node);
      return;
    }
    Set<Integer> nodes = elsewhere.get(user.id());
    if (nodes != null) {
      nodes.remove(node);
    }
    // Two nodes may each see the other still holding the user as their own last connections
    // close: the one that hears the other's notice last settles it (SREM lets one announce).
    // (On Lettuce's thread: nothing here may wait for Redis, only chain on it.)
    if (!onlineElsewhere(user.id())) {
      redis.hexists(mine, Long.toString(user.id())).toCompletableFuture()
          .thenCompose(held -> Boolean.TRUE.equals(held) ? CompletableFuture.completedFuture(false) : srem(user.id()))
          .thenAccept(tell -> {
            if (tell) {
              announce.accept(user, false);
            }
          });
    }
  }

  /** Whether this node has the user in its own hash. Blocks: off Lettuce's threads only. */
  private boolean holdsHere(long userId) {
    try {
      return Boolean.TRUE.equals(bus.syncCommands().hexists(mine, Long.toString(userId)));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Reads what the running nodes hold, at start. */
  private void load() {
    CompletableFuture.runAsync(() -> {
      try {
        ScanIterator<String> keys = ScanIterator.scan(bus.syncCommands(), ScanArgs.Builder.matches(HASH + "*"));
        while (keys.hasNext()) {
          String key = keys.next();
          int node = Integer.parseInt(key.substring(HASH.length()));
          if (node == bus.nodeId()) {
            continue;
          }
          for (Map.Entry<String, String> e : bus.syncCommands().hgetall(key).entrySet()) {
            JsonNode d = json.readTree(e.getValue());
            long id = Long.parseLong(e.getKey());
            known.put(id, new User(id, d.path("name").asText(), User.Kind.valueOf(d.path("kind").asText("GUEST"))));
            elsewhere.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(node);
          }
        }
      } catch (Exception e) {
        log.warn("who is online on the other nodes could not be read: {}", e.toString());
      }
    });
  }

  /** Keeps this node's hash alive, and takes over the users of nodes that stopped without a word. */
  private void tick() {
    try {
      reap();
    } catch (RuntimeException e) {
      // Redis away: the next tick tries again (a scheduled task that throws is never run again).
      log.debug("presence upkeep skipped: {}", e.toString());
    }
  }

  private void reap() {
    redis.pexpire(mine, RedisBus.NODE_TTL.toMillis());
    Set<Integer> nodes = new HashSet<>();
    elsewhere.values().forEach(nodes::addAll);
    for (int node : nodes) {
      if (bus.isRunning(node)) {
        continue;
      }
      boolean reaper;
      try {
        reaper = "OK".equals(bus.syncCommands().set("parley:reaped:" + node, Integer.toString(bus.nodeId()),
            SetArgs.Builder.nx().px(RedisBus.NODE_TTL.toMillis())));
      } catch (RuntimeException e) {
        continue;
      }
      for (Map.Entry<Long, Set<Integer>> e : elsewhere.entrySet()) {
        if (!e.getValue().remove(node) || !e.getValue().isEmpty() || !reaper || holdsHere(e.getKey())) {
          continue;
        }
        User user = known.get(e.getKey());
        if (user != null) {
          srem(user.id()).thenAccept(tell -> {
            if (tell) {
              announce.accept(user, false);
            }
          });
        }
      }
      log.info("Node {} stopped without leaving the cluster{}", node,
          reaper ? "; its users with no other connection are offline now" : "");
    }
  }

  /** Gives up this node's part: its users are offline here (announced by the gateway as usual). */
  void close() {
    try {
      bus.syncCommands().del(mine);
    } catch (RuntimeException e) {
      log.debug("presence of node {} not removed: {}", bus.nodeId(), e.toString());
    }
  }
}
