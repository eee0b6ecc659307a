package dev.parley.bench;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One generator connection: a Socket.IO client of the main namespace over WebSocket.
 *
 * <p>Lifecycle: created, then <em>connecting</em> (TCP, WebSocket handshake, Engine.IO open,
 * Socket.IO CONNECT), then <em>connected</em> once {@link #connected()} completes with the
 * namespace sid, then <em>closed</em> once {@link #closed()} completes. Sending before connected
 * is a programming error of the scenario.
 */
public final class BenchClient {
  private final int index;
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

  BenchClient(int index) {
    this.index = index;
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

  /** Sends {@code 42["name",arg]}. Any thread. */
  public ChannelFuture emit(String name, String jsonArg) {
    return send(Packets.event(name, jsonArg));
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
      send(jsonArg == null ? Packets.eventWithAck(id, name) : Packets.eventWithAck(id, name, jsonArg));
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
  void onConnected(String sid) {
    this.sid = sid;
    connected.complete(this);
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
