package dev.parley.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.chat.ChatStore;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.User;
import dev.parley.socketio.Adapter;
import dev.parley.socketio.Namespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of a cluster of Parley nodes sharing one PostgreSQL database and one
 * Redis: the Socket.IO adapters that carry broadcasts between nodes, the message sequencer that
 * delivers every node's messages here in commit order, and the notices that keep each node's
 * picture of who is in which room current. One publish per committed batch of messages, one per
 * broadcast, one per membership change.
 */
public final class Cluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);
  private final String messages;
  private final String members;

  private final RedisBus bus;
  private final ClusterPresence presence;
  private final ObjectMapper json = new ObjectMapper();
  /** Set once by startDelivery; messages that arrive before are read from the store instead. */
  private volatile MessageSequencer sequencer;

  private Cluster(RedisBus bus, ScheduledExecutorService scheduler) {
    this.bus = bus;
    this.messages = bus.key("messages");
    this.members = bus.key("members");
    this.presence = new ClusterPresence(bus, scheduler);
  }

  /**
   * Joins, as node {@code nodeId}, the cluster named {@code name} (its database's, see
   * {@code ClusterIdentity}) whose nodes meet at the Redis at {@code redisUrl}.
   */
  public static Cluster join(String redisUrl, String name, int nodeId, ScheduledExecutorService scheduler) {
    RedisBus bus = RedisBus.connect(redisUrl, name, nodeId);
    bus.startHeartbeat(scheduler);
    Cluster cluster = new Cluster(bus, scheduler);
    bus.subscribe(cluster.messages, cluster::receiveMessages);
    log.info("Node {} joined cluster {}", nodeId, name);
    return cluster;
  }

  /** Who is online on the other nodes, and which presence changes this node announces. */
  public dev.parley.server.gateway.Presence presence() {
    return presence;
  }

  /** Makes the adapter of each Socket.IO namespace. */
  public Function<Namespace, Adapter> adapters() {
    return namespace -> new ClusterAdapter(namespace, bus);
  }

  /**
   * Starts delivering the cluster's messages to {@code deliver}, in id order, from those committed
   * after now. Blocks while it reads the newest id.
   */
  public void startDelivery(ChatStore store, Consumer<Message> deliver) {
    sequencer = new MessageSequencer(store, deliver, Duration.ofMillis(100), Duration.ofSeconds(1),
        Duration.ofMillis(250), bus::isUp);
  }

  /** A batch this node committed: delivered here through the sequencer and published to the others. */
  public void committed(List<Message> batch) {
    MessageSequencer s = sequencer;
    if (s != null) {
      s.offer(batch);
    }
    List<WireMessage> wire = new ArrayList<>(batch.size());
    batch.forEach(m -> wire.add(WireMessage.of(m)));
    try {
      bus.publish(messages, json.writeValueAsString(wire));
    } catch (JsonProcessingException e) {
      log.warn("messages {}-{} not published: {}", batch.get(0).id(), batch.get(batch.size() - 1).id(),
          e.getMessage());
    }
  }

  private void receiveMessages(String text) {
    MessageSequencer s = sequencer;
    if (s == null) {
      return;
    }
    try {
      WireMessage[] wire = json.readValue(text, WireMessage[].class);
      List<Message> messages = new ArrayList<>(wire.length);
      for (WireMessage w : wire) {
        messages.add(w.toMessage());
      }
      s.offer(messages);
    } catch (JsonProcessingException | RuntimeException e) {
      // The sequencer reads whatever this held from the store when the hole shows.
      log.warn("unreadable messages from another node ignored: {}", e.toString());
    }
  }

  /** Tells the other nodes that a user's rooms or roles changed, so they read them again. */
  public void membershipChanged(long userId) {
    bus.publish(members, bus.nodeId() + ":" + userId);
  }

  /** Calls {@code listener} with each user whose rooms changed on another node. */
  public void onMembershipChange(LongConsumer listener) {
    bus.subscribe(members, text -> {
      int colon = text.indexOf(':');
      if (colon > 0 && !text.substring(0, colon).equals(Integer.toString(bus.nodeId()))) {
        try {
          listener.accept(Long.parseLong(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
          log.debug("unreadable membership notice ignored");
        }
      }
    });
  }

  /** Whether node {@code id} runs. Blocks for a Redis round trip. */
  public boolean isRunning(int id) {
    return bus.isRunning(id);
  }

  /** Whether this node is in touch with Redis. */
  public boolean isUp() {
    return bus.isUp();
  }

  /** Stops delivering (after what this node committed last) and leaves the cluster. */
  @Override
  public void close() {
    MessageSequencer s = sequencer;
    if (s != null) {
      s.close();
    }
    presence.close();
    bus.close();
  }

  /** A message as it crosses between nodes. */
  record WireMessage(long id, long roomId, long seq, long ts, long userId, String userName, String userKind,
      String text, String clientMsgId, String kind) {
    static WireMessage of(Message m) {
      return new WireMessage(m.id(), m.roomId(), m.seq(), m.ts(), m.user().id(), m.user().name(),
          m.user().kind().name(), m.text(), m.clientMsgId().orElse(null), m.kind().name());
    }

    Message toMessage() {
      return new Message(id, roomId, seq, ts, new User(userId, userName, User.Kind.valueOf(userKind)), text,
          Optional.ofNullable(clientMsgId), Message.Kind.valueOf(kind));
    }
  }
}
