package dev.parley.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session: a client's logical connection, over long-polling, WebSocket, or polling
 * upgraded to WebSocket. Every field is owned by {@link #loop}; requests and frames that arrive on
 * other event loops hop to it. Lifecycle: OPEN → (CLOSING, polling only, while a last payload
 * waits for its poll) → CLOSED.
 *
 * <p>A server holds tens of thousands of sessions, so a session keeps little: its handshake's
 * headers and query packed ({@link PackedStringMap}), and it is itself the listener that hears
 * its WebSocket close.
 */
final class EngineSession implements Flusher.Target, ChannelFutureListener {
  private static final Logger log = LoggerFactory.getLogger(EngineSession.class);

  /** Receives what the client sends. Called on the session's loop. */
  interface Listener {
    void onMessage(String text);

    void onBinary(byte[] data);

    void onClose(DisconnectReason reason);
  }

  private enum State { OPEN, CLOSING, CLOSED }

  /** How long a poll made during an upgrade waits before it is ended with a noop. */
  private static final long UPGRADE_POLL_CHECK_MILLIS = 100;
  /**
   * Frames up to this size are copied into the session's {@link #outbox} rather than written one
   * by one: a batch then leaves in one write. Larger ones are written as shared duplicates, so a
   * big broadcast is not copied once per recipient.
   */
  static final int COALESCE_MAX_BYTES = 1024;

  final String id;
  final EventLoop loop;
  final Map<String, String> headers;
  final Map<String, String> query;
  final InetSocketAddress address;
  final Instant openedAt;
  final boolean secure;
  final String url;
  private final EngineServer server;

  private State state = State.OPEN;
  private Listener listener;
  private ServerOptions.Transport transport;
  /** The WebSocket of the session once it uses one; null on polling. */
  private Channel webSocket;
  /** Where pre-framed messages enter {@link #webSocket}'s pipeline: its frame encoder. */
  private ChannelHandlerContext webSocketOut;
  /**
   * Small pre-framed messages written since the last flush, back to back, not yet handed to
   * {@link #webSocket}; null if none. Counts towards the client's buffered bytes.
   */
  private ByteBuf outbox;
  /** Packets waiting for the next poll (polling only). */
  private final List<WebSocketFrame> pollBuffer = new ArrayList<>();
  private long pollBufferBytes;
  /** The request of a poll waiting for packets; null if none. */
  private ChannelHandlerContext pendingPoll;
  private HttpVersion pendingPollVersion;
  private boolean pendingPollKeepAlive;
  private boolean postInProgress;
  /** The WebSocket of an upgrade in progress; null if none. */
  private Channel probe;
  private boolean probed;
  private ScheduledFuture<?> upgradeTimer;
  private ScheduledFuture<?> pingTimer;
  private ScheduledFuture<?> pongTimer;
  /**
   * When the session is dead if no pong comes (System.nanoTime). The timers enforce it; a poll
   * or post checks it too, so one that arrives a hair after the deadline but before the timer has
   * run finds the session closed, as on the single-threaded reference server.
   */
  private long silentDeadlineNanos;
  private boolean flushQueued;
  private DisconnectReason closingReason;

  EngineSession(EngineServer server, String id, EventLoop loop, ServerOptions.Transport transport,
      Map<String, String> headers, Map<String, String> query, InetSocketAddress address,
      boolean secure, String url) {
    this.server = server;
    this.id = id;
    this.loop = loop;
    this.transport = transport;
    this.headers = headers;
    this.query = query;
    this.address = address;
    this.openedAt = Instant.now();
    this.secure = secure;
    this.url = url;
  }

  ServerOptions options() {
    return server.options();
  }

  ServerOptions.Transport transport() {
    return transport;
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  /** Starts the heartbeat and hands the session to its listener. Called once, on the loop. */
  void open(Listener listener, Channel webSocket) {
    this.listener = listener;
    if (webSocket != null) {
      useWebSocket(webSocket);
      webSocket.closeFuture().addListener(this);
    }
    schedulePing();
  }

  String openPacket() {
    boolean canUpgrade = transport == ServerOptions.Transport.POLLING
        && options().transports().contains(ServerOptions.Transport.WEBSOCKET);
    return "{\"sid\":\"" + id + "\",\"upgrades\":" + (canUpgrade ? "[\"websocket\"]" : "[]")
        + ",\"pingInterval\":" + options().pingInterval().toMillis()
        + ",\"pingTimeout\":" + options().pingTimeout().toMillis()
        + ",\"maxPayload\":" + options().maxPayload() + "}";
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Queues {@code frame} (ownership passes to the session) and flushes it with the rest of the
   * batch. A volatile frame is dropped while the client's buffer is above the high water mark;
   * a client whose buffer passes {@code maxOutboundBytes} is disconnected as a slow consumer.
   */
  void send(WebSocketFrame frame, boolean volatileFrame) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> send(frame, volatileFrame));
      return;
    }
    if (!admit(frame.content().readableBytes(), volatileFrame)) {
      frame.release();
      return;
    }
    if (transport == ServerOptions.Transport.WEBSOCKET) {
      writeOutbox();
      webSocket.write(frame, webSocket.voidPromise());
    } else {
      pollBuffer.add(frame);
      pollBufferBytes += frame.content().readableBytes();
    }
    scheduleFlush();
  }

  /**
   * Queues an Engine.IO text message already framed for WebSocket ({@code frame}: header, then
   * {@code message}). Over WebSocket the frame goes out as is, past the frame encoder: a small one
   * is copied into the outbox, where the batch's messages leave together in one write at the
   * flush; a large one is written as a duplicate of the shared buffer. Over polling the message
   * joins the payload. Does not take ownership: copies or retains what it keeps. On the
   * session's loop. Returns whether the message was queued.
   */
  boolean sendFramed(ByteBuf frame, ByteBuf message, boolean volatileFrame) {
    if (!admit(message.readableBytes(), volatileFrame)) {
      return false;
    }
    if (transport == ServerOptions.Transport.WEBSOCKET) {
      int size = frame.readableBytes();
      if (size <= COALESCE_MAX_BYTES) {
        if (outbox == null) {
          outbox = webSocket.alloc().directBuffer(size);
        }
        outbox.writeBytes(frame, frame.readerIndex(), size);
      } else {
        writeOutbox();
        webSocketOut.write(frame.retainedDuplicate(), webSocketOut.voidPromise());
      }
    } else {
      pollBuffer.add(new TextWebSocketFrame(message.retainedDuplicate()));
      pollBufferBytes += message.readableBytes();
    }
    scheduleFlush();
    return true;
  }

  /** Whether a message of {@code size} may be queued now; closes a slow consumer. */
  private boolean admit(int size, boolean volatileFrame) {
    if (state != State.OPEN) {
      return false;
    }
    if (transport == ServerOptions.Transport.WEBSOCKET) {
      long buffered = webSocketBufferedBytes();
      if (!webSocket.isWritable() || buffered + size > options().writeBufferHighWaterMark()) {
        if (volatileFrame) {
          return false;
        }
        if (buffered > options().maxOutboundBytes()) {
          log.debug("session {} disconnected: outbound buffer over {} bytes", id, options().maxOutboundBytes());
          closeLater(DisconnectReason.SLOW_CONSUMER);
          return false;
        }
      }
      return true;
    }
    if (volatileFrame && pollBufferBytes + size > options().writeBufferHighWaterMark()) {
      return false;
    }
    if (pollBufferBytes + size > options().maxOutboundBytes()) {
      closeLater(DisconnectReason.SLOW_CONSUMER);
      return false;
    }
    return true;
  }

  /** Bytes waiting for the client on the WebSocket: in the outbox and in the channel's buffer. */
  private long webSocketBufferedBytes() {
    ChannelOutboundBuffer out = webSocket.unsafe().outboundBuffer();
    return (outbox == null ? 0 : outbox.readableBytes()) + (out == null ? 0 : out.totalPendingWriteBytes());
  }

  /** Hands the outbox to the channel, without flushing, so that what is written next follows it. */
  private void writeOutbox() {
    if (outbox != null) {
      ByteBuf batch = outbox;
      outbox = null;
      webSocketOut.write(batch, webSocketOut.voidPromise());
    }
  }

  private void scheduleFlush() {
    if (transport == ServerOptions.Transport.POLLING && pendingPoll == null) {
      return;
    }
    if (!flushQueued) {
      flushQueued = true;
      Flusher.flushLater(loop, this);
    }
  }

  @Override
  public void flushNow() {
    flushQueued = false;
    if (transport == ServerOptions.Transport.WEBSOCKET) {
      if (outbox != null) {
        ByteBuf batch = outbox;
        outbox = null;
        webSocketOut.writeAndFlush(batch, webSocketOut.voidPromise());
      } else if (webSocketOut != null) {
        webSocketOut.flush();
      }
    } else if (pendingPoll != null && !pollBuffer.isEmpty()) {
      answerPoll();
    }
  }

  private void answerPoll() {
    ByteBuf payload = EnginePackets.encodePayload(pendingPoll.alloc(), pollBuffer);
    releasePollBuffer();
    ChannelHandlerContext ctx = pendingPoll;
    pendingPoll = null;
    HttpResponses.sendPayload(ctx, pendingPollVersion, pendingPollKeepAlive, payload, headers.get("origin"), options());
  }

  private void releasePollBuffer() {
    for (WebSocketFrame f : pollBuffer) {
      f.release();
    }
    pollBuffer.clear();
    pollBufferBytes = 0;
  }

  // ---- long-polling --------------------------------------------------------------------------

  /** A GET poll. */
  void onPoll(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive) {
    closeIfSilentTooLong();
    if (state == State.CLOSED || transport != ServerOptions.Transport.POLLING) {
      HttpResponses.sendError(ctx, version, keepAlive, EngineError.BAD_REQUEST, headers.get("origin"), options());
      return;
    }
    if (pendingPoll != null) {
      HttpResponses.sendError(ctx, version, keepAlive, EngineError.BAD_REQUEST, headers.get("origin"), options());
      log.debug("session {}: overlapping polls", id);
      close(DisconnectReason.TRANSPORT_ERROR);
      return;
    }
    pendingPoll = ctx;
    pendingPollVersion = version;
    pendingPollKeepAlive = keepAlive;
    if (state == State.CLOSING) {
      finishClosing();
    } else if (!pollBuffer.isEmpty()) {
      answerPoll();
    } else if (probed) {
      endPollDuringUpgrade(ctx);
    }
  }

  /** The connection of a poll went away; if the poll was still waiting, the client is gone. */
  void onPollConnectionClosed(ChannelHandlerContext ctx) {
    if (pendingPoll == ctx) {
      pendingPoll = null;
      close(DisconnectReason.TRANSPORT_CLOSE);
    }
  }

  /**
   * An upgrade is under way: as the reference server does, ends the waiting poll with a noop after
   * a short while (the client then switches), unless the upgrade completes first.
   */
  private void endPollDuringUpgrade(ChannelHandlerContext ctx) {
    loop.schedule(() -> {
      if (pendingPoll == ctx && transport == ServerOptions.Transport.POLLING && state == State.OPEN) {
        pollBuffer.add(EnginePackets.noop());
        answerPoll();
      }
    }, UPGRADE_POLL_CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A POST carrying packets. Takes ownership of {@code body}. */
  void onPost(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, ByteBuf body) {
    closeIfSilentTooLong();
    String origin = headers.get("origin");
    try {
      if (state != State.OPEN || transport != ServerOptions.Transport.POLLING) {
        HttpResponses.sendError(ctx, version, keepAlive, EngineError.BAD_REQUEST, origin, options());
        return;
      }
      if (postInProgress) {
        HttpResponses.sendError(ctx, version, keepAlive, EngineError.BAD_REQUEST, origin, options());
        close(DisconnectReason.TRANSPORT_ERROR);
        return;
      }
      List<EnginePackets.Inbound> packets;
      try {
        packets = EnginePackets.decodePayload(body);
      } catch (ProtocolException e) {
        log.debug("session {}: bad payload: {}", id, e.getMessage());
        HttpResponses.sendError(ctx, version, keepAlive, EngineError.BAD_REQUEST, origin, options());
        close(DisconnectReason.PARSE_ERROR);
        return;
      }
      postInProgress = true;
      try {
        for (EnginePackets.Inbound packet : packets) {
          if (state != State.OPEN) {
            break;
          }
          onPacket(packet, null);
        }
      } finally {
        postInProgress = false;
      }
      HttpResponses.sendOk(ctx, version, keepAlive, origin, options());
    } finally {
      body.release();
    }
  }

  // ---- WebSocket -----------------------------------------------------------------------------

  /** A WebSocket opened with this session's id: the start of an upgrade. */
  boolean beginUpgrade(Channel channel) {
    if (state != State.OPEN || transport != ServerOptions.Transport.POLLING || probe != null) {
      return false;
    }
    probe = channel;
    upgradeTimer = loop.schedule(() -> {
      if (probe == channel) {
        log.debug("session {}: upgrade timed out", id);
        abandonUpgrade();
      }
    }, options().upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    // Also watches the channel once it has become the session's transport (completeUpgrade).
    channel.closeFuture().addListener(this);
    return true;
  }

  private void abandonUpgrade() {
    Channel channel = probe;
    probe = null;
    probed = false;
    if (upgradeTimer != null) {
      upgradeTimer.cancel(false);
    }
    if (channel != null) {
      channel.close();
    }
  }

  private void useWebSocket(Channel channel) {
    webSocket = channel;
    webSocketOut = channel.pipeline().context(WebSocketFrameEncoder.class);
    if (webSocketOut == null) {
      throw new IllegalStateException("no WebSocket frame encoder in the pipeline of " + channel);
    }
  }

  /**
   * A WebSocket of this session (its transport or an upgrade probe) has closed: handled on the
   * session's loop, as a task of its own. A channel that closes while the server stops may find
   * the loop already refusing tasks: the session ends with the server then, so the task is not
   * needed.
   */
  @Override
  public void operationComplete(ChannelFuture closed) {
    Channel channel = closed.channel();
    try {
      loop.execute(() -> {
        if (probe == channel) {
          abandonUpgrade();
        } else if (webSocket == channel && state != State.CLOSED) {
          close(DisconnectReason.TRANSPORT_CLOSE);
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("session {}: server stopping, channel close not handled", id);
    }
  }

  /** A packet received on a WebSocket of this session (the transport or an upgrade probe). */
  void onWebSocketPacket(Channel channel, EnginePackets.Inbound packet) {
    if (state == State.CLOSED) {
      return;
    }
    if (channel == probe) {
      onProbePacket(packet);
    } else if (channel == webSocket) {
      onPacket(packet, channel);
    }
  }

  /** A WebSocket frame that could not be decoded. */
  void onWebSocketError(Channel channel, String reason) {
    log.debug("session {}: {}", id, reason);
    if (channel == probe) {
      abandonUpgrade();
    } else if (channel == webSocket) {
      close(DisconnectReason.PARSE_ERROR);
    }
  }

  private void onProbePacket(EnginePackets.Inbound packet) {
    if (packet.type() == EnginePackets.PING && "probe".equals(packet.data())) {
      probe.writeAndFlush(EnginePackets.probeAnswer(), probe.voidPromise());
      probed = true;
      if (pendingPoll != null) {
        endPollDuringUpgrade(pendingPoll);
      }
    } else if (packet.type() == EnginePackets.UPGRADE && probed) {
      completeUpgrade();
    } else {
      log.debug("session {}: unexpected packet during upgrade", id);
      abandonUpgrade();
    }
  }

  private void completeUpgrade() {
    upgradeTimer.cancel(false);
    Channel channel = probe;
    probe = null;
    probed = false;
    transport = ServerOptions.Transport.WEBSOCKET;
    useWebSocket(channel);
    if (pendingPoll != null) {
      // A client that follows the protocol has no poll open now. One that does gets what a poll
      // after the upgrade gets: the session no longer uses polling.
      ChannelHandlerContext ctx = pendingPoll;
      pendingPoll = null;
      HttpResponses.sendError(ctx, pendingPollVersion, pendingPollKeepAlive, EngineError.BAD_REQUEST,
          headers.get("origin"), options());
    }
    for (WebSocketFrame frame : pollBuffer) {
      channel.write(frame, channel.voidPromise());
    }
    pollBuffer.clear();
    pollBufferBytes = 0;
    channel.flush();
  }


  // ---- packets -------------------------------------------------------------------------------

  private void onPacket(EnginePackets.Inbound packet, Channel channel) {
    switch (packet.type()) {
      case EnginePackets.MESSAGE -> {
        if (packet.isBinary()) {
          listener.onBinary(packet.binary());
        } else {
          listener.onMessage(packet.data());
        }
      }
      case EnginePackets.PONG -> {
        if (pongTimer != null) {
          pongTimer.cancel(false);
        }
        schedulePing();
      }
      case EnginePackets.PING -> {
        // In Engine.IO v4 only the server pings; the reference server ends such a session.
        log.debug("session {}: ping from the client (invalid heartbeat direction)", id);
        close(DisconnectReason.TRANSPORT_ERROR);
      }
      case EnginePackets.CLOSE -> closeByClient();
      case EnginePackets.NOOP -> { }
      default -> {
        log.debug("session {}: unexpected packet type {}", id, packet.type());
        close(DisconnectReason.PARSE_ERROR);
      }
    }
  }

  // ---- heartbeat -----------------------------------------------------------------------------

  private void closeIfSilentTooLong() {
    if (state == State.OPEN && System.nanoTime() - silentDeadlineNanos >= 0) {
      close(DisconnectReason.PING_TIMEOUT);
    }
  }

  private void schedulePing() {
    long now = System.nanoTime();
    silentDeadlineNanos = now + options().pingInterval().toNanos() + options().pingTimeout().toNanos();
    pingTimer = loop.schedule(() -> {
      if (state != State.OPEN) {
        return;
      }
      send(EnginePackets.ping(), false);
      pongTimer = loop.schedule(() -> close(DisconnectReason.PING_TIMEOUT),
          options().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }, options().pingInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- closing -------------------------------------------------------------------------------

  /**
   * The client sent a close packet. A poll in flight gets a noop; if none is waiting yet, the
   * next one (sent alongside the close) does, within a ping timeout.
   */
  private void closeByClient() {
    if (transport == ServerOptions.Transport.POLLING) {
      releasePollBuffer();
      pollBuffer.add(EnginePackets.noop());
      if (pendingPoll == null) {
        linger(DisconnectReason.TRANSPORT_CLOSE);
        return;
      }
      answerPoll();
    }
    terminate(DisconnectReason.TRANSPORT_CLOSE);
  }

  /**
   * Closes the session. When the server chose to close it, what was already queued is still
   * delivered: on WebSocket before the close frame; on polling with the next poll, which also
   * carries a close packet. On errors it ends at once.
   */
  void close(DisconnectReason reason) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> close(reason));
      return;
    }
    if (state != State.OPEN) {
      return;
    }
    if (transport == ServerOptions.Transport.POLLING) {
      pollBuffer.add(EnginePackets.close());
      if (pendingPoll != null) {
        answerPoll();
      } else if (reason == DisconnectReason.FORCED_SERVER_CLOSE || reason == DisconnectReason.SERVER_SHUTTING_DOWN
          || reason == DisconnectReason.SERVER_NAMESPACE_DISCONNECT) {
        linger(reason);
        return;
      }
    }
    terminate(reason);
  }

  /** Closes now for the listener, but keeps the session for one more poll to collect the buffer. */
  private void linger(DisconnectReason reason) {
    state = State.CLOSING;
    closingReason = reason;
    cancelTimers();
    loop.schedule(this::finishClosing, options().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    listenerClosed(reason);
  }

  /** Closes after the current task: a writer may be iterating over the sockets that closing removes. */
  private void closeLater(DisconnectReason reason) {
    loop.execute(() -> close(reason));
  }

  private void finishClosing() {
    if (state == State.CLOSED) {
      return;
    }
    if (pendingPoll != null) {
      answerPoll();
    }
    terminate(closingReason);
  }

  private void terminate(DisconnectReason reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    cancelTimers();
    server.remove(this);
    releasePollBuffer();
    if (pendingPoll != null) {
      ChannelHandlerContext ctx = pendingPoll;
      pendingPoll = null;
      HttpResponses.sendError(ctx, pendingPollVersion, false, EngineError.BAD_REQUEST, headers.get("origin"), options());
    }
    if (probe != null) {
      abandonUpgrade();
    }
    if (webSocket != null && webSocket.isActive()) {
      writeOutbox();
      webSocket.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
    } else if (outbox != null) {
      outbox.release();
      outbox = null;
    }
    listenerClosed(reason);
  }

  private boolean listenerNotified;

  private void listenerClosed(DisconnectReason reason) {
    if (listenerNotified || listener == null) {
      return;
    }
    listenerNotified = true;
    try {
      listener.onClose(reason);
    } catch (RuntimeException e) {
      log.warn("session {}: close listener failed", id, e);
    }
  }

  private void cancelTimers() {
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    if (pongTimer != null) {
      pongTimer.cancel(false);
    }
    if (upgradeTimer != null) {
      upgradeTimer.cancel(false);
    }
  }

}
