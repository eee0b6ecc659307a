package dev.parley.bench;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One generator connection: a Socket.IO client of one namespace over WebSocket, as its
 * {@link NamespaceSession} says (the main namespace for the tutorial scenarios, {@code /chat}
 * with auth for the chat server).
 *
 * <p>Lifecycle: created, then <em>connecting</em> (TCP, WebSocket handshake, Engine.IO open,
 * Socket.IO CONNECT), then <em>connected</em> once {@link #connected()} completes with the
 * namespace sid, then <em>closed</em> once {@link #closed()} completes. Sending before connected
 * is a programming error of the scenario. A reconnection is a new {@code BenchClient} with the
 * same index and session ({@link ClientPool#reopen}).
 */
public final class BenchClient {
  private final int index;
  private final NamespaceSession session;
  /** The pid this connection's CONNECT presented; null for a new session. */
  private final String presentedPid;
  private final CompletableFuture<BenchClient> connected = new CompletableFuture<>();
  private final CompletableFuture<BenchClient> closed = new CompletableFuture<>();

  /** Null until the TCP connection is attempted. Written once by the connecting thread. */
  private volatile Channel channel;
  /** Null until the namespace CONNECT is answered. Written once by the event loop. */
  private volatile String sid;
  /** Acknowledgements awaited, by ack id. Only accessed by the channel's event loop. */
  private final Map<Long, CompletableFuture<String>> pendingAcks = new HashMap<>(4);
  /** Next ack id. Only accessed by the channel's event loop. */
  private long nextAckId;
  /** Whether the server restored the presented session. Written once by the event loop. */
  private volatile boolean recovered;

  BenchClient(int index) {
    this(index, NamespaceSession.main());
  }

  BenchClient(int index, NamespaceSession session) {
    this.index = index;
    this.session = session;
    this.presentedPid = session.presentedPid().orElse(null);
  }

  /** Who this client is in its namespace; shared with the connections before and after it. */
  public NamespaceSession session() {
    return session;
  }

  /** The CONNECT packet this connection sends: the session's auth, pid and offset as of now. */
  String connectPacket() {
    return session.connectPacket();
  }

  /**
   * Whether the server restored the session this connection presented (its CONNECT answer gave
   * back the same pid); false for a new session. Meaningful once connected.
   */
  public boolean recovered() {
    return recovered;
  }

  /** Position of this client among all clients of its generator process, from 0. */
  public int index() {
    return index;
  }

  /** The namespace socket id the server gave this client; the target of a {@code dm}. */
  public String sid() {
    String s = sid;
    if (s == null) {
      throw new IllegalStateException("client " + index + " is not connected yet");
    }
    return s;
  }

  /** Completes when the server accepted the namespace CONNECT; fails if that never happens. */
  public CompletableFuture<BenchClient> connected() {
    return connected;
  }

  /** Completes when the connection is gone. */
  public CompletableFuture<BenchClient> closed() {
    return closed;
  }

  /** The client's channel, for scenarios that schedule work on its event loop. */
  public Channel channel() {
    return Objects.requireNonNull(channel, "not connecting yet");
  }

  /** Sends one packet text (see {@link Packets}) and flushes it. Any thread. */
  public ChannelFuture send(String packet) {
    Channel ch = channel();
    return ch.writeAndFlush(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ch.alloc(), packet)));
  }

  /** Sends {@code 42[/nsp,]["name",arg]}. Any thread. */
  public ChannelFuture emit(String name, String jsonArg) {
    return send(Packets.event(session.namespace(), name, jsonArg));
  }

  /**
   * Takes the next ack id for an event the caller writes itself (see {@link Packets#eventWithAck(
   * String, long, String, String)}); its acknowledgement goes to {@link ClientListener#onAck}.
   * On the channel's event loop only: the hot send paths of the chat scenarios use it to avoid a
   * future per message.
   */
  public long takeAckId() {
    if (!channel().eventLoop().inEventLoop()) {
      throw new IllegalStateException("ack ids are taken on the client's event loop");
    }
    return nextAckId++;
  }

  /**
   * Sends an event asking for an acknowledgement. The future completes with the ack's arguments
   * as a JSON array, or fails if the connection closes first. Any thread.
   */
  public CompletableFuture<String> emitWithAck(String name, String jsonArg) {
    CompletableFuture<String> answer = new CompletableFuture<>();
    Channel ch = channel();
    ch.eventLoop().execute(() -> {
      if (!ch.isActive()) {
        answer.completeExceptionally(new IllegalStateException("client " + index + " is closed"));
        return;
      }
      long id = nextAckId++;
      pendingAcks.put(id, answer);
      send(Packets.eventWithAck(session.namespace(), id, name, jsonArg));
    });
    return answer;
  }

  /** Closes the connection. Any thread. */
  public void close() {
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  void attach(Channel channel) {
    this.channel = channel;
  }

  /** Event loop only. */
  void onConnected(String sid, Optional<String> pid) {
    this.sid = sid;
    pid.ifPresent(session::pid);
    recovered = presentedPid != null && pid.isPresent() && presentedPid.equals(pid.get());
    connected.complete(this);
  }

  /** Whether {@link #emitWithAck} awaits the ack {@code id}. Event loop only. */
  boolean awaits(long id) {
    return pendingAcks.containsKey(id);
  }

  /** Event loop only. */
  void onAck(long id, String argsJson) {
    CompletableFuture<String> answer = pendingAcks.remove(id);
    if (answer != null) {
      answer.complete(argsJson);
    }
  }

  /** Event loop only. */
  void onClosed(Throwable cause) {
    IllegalStateException failure = new IllegalStateException(
        "client " + index + " closed" + (cause == null ? "" : ": " + cause), cause);
    connected.completeExceptionally(failure);
    pendingAcks.values().forEach(f -> f.completeExceptionally(failure));
    pendingAcks.clear();
    closed.complete(this);
  }
}
