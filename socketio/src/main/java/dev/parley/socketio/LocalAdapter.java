package dev.parley.socketio;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The adapter of a single server. Room membership is split by event loop: each loop keeps the
 * rooms of its own sockets in a {@link Shard} that only it touches, so joins, leaves and
 * deliveries take no lock. A broadcast is encoded once and handed to every loop, which writes it
 * to its matching sockets and flushes each of them once per batch.
 */
public final class LocalAdapter implements Adapter {
  private final Namespace namespace;
  /** One shard per event loop; the map is never modified after construction. */
  private final Map<EventExecutor, Shard> shards = new IdentityHashMap<>();
  private final List<Shard> shardList = new ArrayList<>();

  /** The adapter of {@code namespace}. */
  public LocalAdapter(Namespace namespace) {
    this.namespace = namespace;
    for (EventExecutor executor : namespace.server().workers()) {
      Shard shard = new Shard((EventLoop) executor);
      shards.put(executor, shard);
      shardList.add(shard);
    }
  }

  private Shard shardOf(Socket socket) {
    return shards.get(socket.loop());
  }

  @Override
  public void addAll(Socket socket, Set<String> rooms) {
    Shard shard = shardOf(socket);
    shard.all.add(socket);
    for (String room : rooms) {
      shard.join(socket, room);
    }
  }

  @Override
  public void del(Socket socket, String room) {
    shardOf(socket).leave(socket, room);
  }

  @Override
  public void delAll(Socket socket) {
    Shard shard = shardOf(socket);
    for (String room : socket.liveRooms()) {
      shard.leave(socket, room);
    }
    shard.all.remove(socket);
  }

  @Override
  public void broadcast(EventPacket event, BroadcastOptions options) {
    if (namespace.records(options)) {
      // Recorded packets are handed to every loop's queue in the order of their offsets, so
      // that each socket receives them in that order (see Namespace#record).
      namespace.record(event, options, packet -> queue(packet, options));
      return;
    }
    EncodedPacket packet = namespace.encode(event);
    try {
      deliver(packet, options);
    } finally {
      packet.release();
    }
  }

  private void queue(EncodedPacket packet, BroadcastOptions options) {
    for (Shard shard : shardList) {
      packet.retain();
      shard.loop.execute(() -> {
        try {
          shard.deliver(packet, options);
        } finally {
          packet.release();
        }
      });
    }
  }

  /**
   * Writes an already encoded packet to the local sockets that {@code options} select. Used by
   * cluster adapters for packets that arrive from other servers.
   */
  void deliver(EncodedPacket packet, BroadcastOptions options) {
    for (Shard shard : shardList) {
      if (shard.loop.inEventLoop()) {
        shard.deliver(packet, options);
      } else {
        packet.retain();
        shard.loop.execute(() -> {
          try {
            shard.deliver(packet, options);
          } finally {
            packet.release();
          }
        });
      }
    }
  }

  @Override
  public CompletableFuture<Set<String>> rooms() {
    List<CompletableFuture<Set<String>>> parts = new ArrayList<>();
    for (Shard shard : shardList) {
      parts.add(onShard(shard, () -> new HashSet<>(shard.rooms.keySet())));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Set<String> all = new HashSet<>();
      parts.forEach(p -> all.addAll(p.join()));
      return all;
    });
  }

  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets(BroadcastOptions options) {
    List<CompletableFuture<List<RemoteSocket>>> parts = new ArrayList<>();
    for (Shard shard : shardList) {
      parts.add(onShard(shard, () -> {
        List<RemoteSocket> found = new ArrayList<>();
        shard.forEachMatching(options, s -> found.add(
            new RemoteSocket(namespace, s.id(), s.handshake(), s.liveRooms(), s.data())));
        return found;
      }));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<RemoteSocket> all = new ArrayList<>();
      parts.forEach(p -> all.addAll(p.join()));
      return all;
    });
  }

  @Override
  public void addSockets(BroadcastOptions options, Set<String> rooms) {
    forEachMatchingAsync(options, s -> s.joinNow(rooms));
  }

  @Override
  public void delSockets(BroadcastOptions options, Set<String> rooms) {
    forEachMatchingAsync(options, s -> rooms.forEach(s::leave));
  }

  @Override
  public void disconnectSockets(BroadcastOptions options, boolean close) {
    forEachMatchingAsync(options, s -> s.disconnect(close));
  }

  @Override
  public void serverSideEmit(EventPacket event) {
    // A single server has no peers to tell.
  }

  private void forEachMatchingAsync(BroadcastOptions options, Consumer<Socket> action) {
    for (Shard shard : shardList) {
      onShard(shard, () -> {
        List<Socket> matching = new ArrayList<>();
        shard.forEachMatching(options, matching::add);
        matching.forEach(action);
        return null;
      });
    }
  }

  private static <T> CompletableFuture<T> onShard(Shard shard, java.util.function.Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable task = () -> {
      try {
        result.complete(work.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    };
    if (shard.loop.inEventLoop()) {
      task.run();
    } else {
      shard.loop.execute(task);
    }
    return result;
  }

  /**
   * The sockets of one event loop and their rooms. Only accessed by {@link #loop}.
   *
   * <p>A room of one member, as every socket's own room is, maps to that socket itself; a larger
   * one to a {@link SocketSet}.
   */
  private static final class Shard {
    final EventLoop loop;
    final SocketSet all = new SocketSet();
    /** Room name → its only {@link Socket}, or the {@link SocketSet} of its members. */
    final Map<String, Object> rooms = new HashMap<>();

    Shard(EventLoop loop) {
      this.loop = loop;
    }

    void join(Socket socket, String room) {
      Object members = rooms.get(room);
      if (members == null) {
        rooms.put(room, socket);
      } else if (members instanceof SocketSet set) {
        set.add(socket);
      } else if (members != socket) {
        SocketSet set = new SocketSet();
        set.add((Socket) members);
        set.add(socket);
        rooms.put(room, set);
      }
    }

    void leave(Socket socket, String room) {
      Object members = rooms.get(room);
      if (members == socket) {
        rooms.remove(room);
      } else if (members instanceof SocketSet set && set.remove(socket) && set.size() == 1) {
        set.forEach(last -> rooms.put(room, last));
      }
    }

    /** Runs {@code action} on each member of {@code room}. */
    void forEachMember(String room, Consumer<Socket> action) {
      Object members = rooms.get(room);
      if (members instanceof SocketSet set) {
        set.forEach(action);
      } else if (members != null) {
        action.accept((Socket) members);
      }
    }

    void deliver(EncodedPacket packet, BroadcastOptions options) {
      forEachMatching(options, s -> s.write(packet, options.volatileEmit()));
    }

    void forEachMatching(BroadcastOptions options, Consumer<Socket> action) {
      Set<Socket> excluded = excluded(options.except());
      Consumer<Socket> unlessExcluded = excluded.isEmpty() ? action : s -> {
        if (!excluded.contains(s)) {
          action.accept(s);
        }
      };
      if (options.rooms().isEmpty()) {
        all.forEach(unlessExcluded);
        return;
      }
      if (options.rooms().size() == 1) {
        forEachMember(options.rooms().iterator().next(), unlessExcluded);
        return;
      }
      Set<Socket> seen = new HashSet<>();
      for (String room : options.rooms()) {
        forEachMember(room, s -> {
          if (seen.add(s)) {
            unlessExcluded.accept(s);
          }
        });
      }
    }

    private Set<Socket> excluded(Set<String> except) {
      if (except.isEmpty()) {
        return Set.of();
      }
      Set<Socket> out = new HashSet<>();
      for (String room : except) {
        forEachMember(room, out::add);
      }
      return out;
    }
  }
}
