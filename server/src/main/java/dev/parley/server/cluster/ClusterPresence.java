package dev.parley.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.chat.User;
import dev.parley.server.gateway.Presence;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
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
 * knows from memory who is online elsewhere (for member lists). Whether a change is announced is
 * settled in Redis, atomically, once for the whole cluster: each user has the set of nodes it is
 * connected to, and the set {@code parley:announced} holds the users announced online; the node
 * that adds a user to it announces it online, the node that takes the user's last node away
 * announces it offline. When a node
 * stops without a word (killed), its hash lapses with it; the first node to notice takes its
 * users over and announces those left with no connection anywhere offline.
 */
final class ClusterPresence implements Presence {
  private static final Logger log = LoggerFactory.getLogger(ClusterPresence.class);
  private final String channel;
  private final String announced;
  private final String hash;
  private final String nodesOf;
  /** Adds the node to the user's nodes; 1 when the user was not announced online yet. */
  private static final String ONLINE = "redis.call('SADD', KEYS[1], ARGV[1]) return redis.call('SADD', KEYS[2], ARGV[2])";
  /** Takes the node from the user's nodes; 1 when that was the last and the user was announced online. */
  private static final String OFFLINE = "redis.call('SREM', KEYS[1], ARGV[1]) "
      + "if redis.call('SCARD', KEYS[1]) > 0 then return 0 end return redis.call('SREM', KEYS[2], ARGV[2])";

  private final RedisBus bus;
  private final RedisAsyncCommands<String, String> redis;
  private final ObjectMapper json = new ObjectMapper();
  private final String mine;
  /** The nodes other than this one on which each user is online, from their notices. */
  private final Map<Long, Set<Integer>> elsewhere = new ConcurrentHashMap<>();
  /** The users seen online elsewhere, to announce them should their node vanish. */
  private final Map<Long, User> known = new ConcurrentHashMap<>();
  /** The users this node has claimed online, for telling Redis again after it was away. */
  private final Map<Long, User> claimed = new ConcurrentHashMap<>();
  /** Set once, before the first change. */
  private volatile BiConsumer<User, Boolean> announce = (user, online) -> {};

  ClusterPresence(RedisBus bus, ScheduledExecutorService scheduler) {
    this.bus = bus;
    this.redis = bus.commands();
    this.channel = bus.key("presence");
    this.announced = bus.key("announced");
    this.hash = bus.key("presence:");
    this.nodesOf = bus.key("user-nodes:");
    this.mine = hash + bus.nodeId();
    bus.subscribe(channel, this::notice);
    bus.onReconnect(() -> resync(scheduler));
    // What this node holds starts empty: a hash left by an earlier run of this node id is stale.
    redis.del(mine);
    scheduler.execute(this::load);
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
    claimed.put(user.id(), user);
    try {
      redis.hset(mine, id, describe(user));
      redis.pexpire(mine, RedisBus.NODE_TTL.toMillis());
      publish(user, true);
      return script(ONLINE, user.id(), bus.nodeId());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(true);
    }
  }

  @Override
  public CompletableFuture<Boolean> claimOffline(User user) {
    claimed.remove(user.id());
    try {
      redis.hdel(mine, Long.toString(user.id()));
      publish(user, false);
      return script(OFFLINE, user.id(), bus.nodeId());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(!onlineElsewhere(user.id()));
    }
  }

  /** Runs a presence script for a user and node; true when it answers 1, or when Redis cannot answer. */
  private CompletableFuture<Boolean> script(String lua, long userId, int node) {
    String[] keys = {nodesOf + userId, announced};
    return redis.<Long>eval(lua, ScriptOutputType.INTEGER, keys, Integer.toString(node), Long.toString(userId))
        .toCompletableFuture().thenApply(n -> n != null && n == 1).exceptionally(e -> true);
  }

  @Override
  public boolean onlineElsewhere(long userId) {
    Set<Integer> nodes = elsewhere.get(userId);
    return nodes != null && !nodes.isEmpty();
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
    bus.publish(channel, out.toString());
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
  }

  /** Reads what the running nodes hold. Blocks: on the scheduler. */
  private void load() {
    try {
      ScanIterator<String> keys = ScanIterator.scan(bus.syncCommands(), ScanArgs.Builder.matches(hash + "*"));
      while (keys.hasNext()) {
        String key = keys.next();
        int node = Integer.parseInt(key.substring(hash.length()));
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
  }

  /**
   * Redis is back after a loss: what this node holds is written again (another node may have
   * taken its users for gone meanwhile; those are announced online again), and what the others
   * hold is read again, since their notices of the meantime are lost. Off Lettuce's threads.
   */
  void resync(java.util.concurrent.Executor executor) {
    executor.execute(() -> {
      for (User user : claimed.values()) {
        try {
          redis.hset(mine, Long.toString(user.id()), describe(user));
          publish(user, true);
          script(ONLINE, user.id(), bus.nodeId()).thenAccept(tell -> {
            if (tell && claimed.containsKey(user.id())) {
              announce.accept(user, true);
            }
          });
        } catch (RuntimeException e) {
          log.debug("presence of user {} not written again: {}", user.id(), e.toString());
        }
      }
      redis.pexpire(mine, RedisBus.NODE_TTL.toMillis());
      elsewhere.clear();
      load();
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
      if (bus.mayBeRunning(node)) {
        continue;
      }
      boolean reaper;
      try {
        reaper = "OK".equals(bus.syncCommands().set(bus.key("reaped:" + node), Integer.toString(bus.nodeId()),
            SetArgs.Builder.nx().px(RedisBus.NODE_TTL.toMillis())));
      } catch (RuntimeException e) {
        continue;
      }
      for (Map.Entry<Long, Set<Integer>> e : elsewhere.entrySet()) {
        if (!e.getValue().remove(node) || !reaper) {
          continue;
        }
        User user = known.get(e.getKey());
        if (user != null) {
          script(OFFLINE, user.id(), node).thenAccept(tell -> {
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
