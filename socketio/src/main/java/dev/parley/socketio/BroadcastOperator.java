package dev.parley.socketio;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Selects sockets of a namespace by room and acts on them: emit, fetch, join, leave,
 * disconnect. Immutable: every selector returns a new operator. Thread-safe.
 *
 * <pre>{@code
 * namespace.to("room1").except(socket.id()).emit("message", text);
 * }</pre>
 */
public final class BroadcastOperator {
  private final Namespace namespace;
  private final BroadcastOptions options;

  BroadcastOperator(Namespace namespace, BroadcastOptions options) {
    this.namespace = namespace;
    this.options = options;
  }

  /** Also targets the sockets in {@code rooms}. */
  public BroadcastOperator to(String... rooms) {
    Set<String> set = new HashSet<>(options.rooms());
    set.addAll(Arrays.asList(rooms));
    return new BroadcastOperator(namespace,
        new BroadcastOptions(set, options.except(), options.volatileEmit(), options.local()));
  }

  /** Same as {@link #to}. */
  public BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  /** Leaves out the sockets in {@code rooms} (a socket id is a room too). */
  public BroadcastOperator except(String... rooms) {
    Set<String> set = new HashSet<>(options.except());
    set.addAll(Arrays.asList(rooms));
    return new BroadcastOperator(namespace,
        new BroadcastOptions(options.rooms(), set, options.volatileEmit(), options.local()));
  }

  /**
   * Marks the events as volatile: they are dropped for a client that cannot take them at once
   * (its buffer is full), and never replayed on recovery. For typing indicators and the like.
   */
  public BroadcastOperator asVolatile() {
    return new BroadcastOperator(namespace,
        new BroadcastOptions(options.rooms(), options.except(), true, options.local()));
  }

  /** Keeps the operation on this server, even in a cluster. */
  public BroadcastOperator local() {
    return new BroadcastOperator(namespace,
        new BroadcastOptions(options.rooms(), options.except(), options.volatileEmit(), true));
  }

  /** The selection this operator stands for. */
  public BroadcastOptions options() {
    return options;
  }

  /** Sends {@code event} to the selected sockets. */
  public void emit(String event, Object... args) {
    namespace.adapter().broadcast(EventPacket.of(event, args), options);
  }

  /** The selected sockets. */
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return namespace.adapter().fetchSockets(options);
  }

  /** Makes the selected sockets join {@code rooms}. */
  public void socketsJoin(String... rooms) {
    namespace.adapter().addSockets(options, Set.of(rooms));
  }

  /** Makes the selected sockets leave {@code rooms}. */
  public void socketsLeave(String... rooms) {
    namespace.adapter().delSockets(options, Set.of(rooms));
  }

  /** Disconnects the selected sockets; with {@code close}, their whole connections too. */
  public void disconnectSockets(boolean close) {
    namespace.adapter().disconnectSockets(options, close);
  }
}
