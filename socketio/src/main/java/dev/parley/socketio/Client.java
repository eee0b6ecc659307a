package dev.parley.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO side of one Engine.IO session: decodes packets, reassembles binary ones and
 * routes them to the session's sockets, one per namespace. Every field is owned by the session's
 * event loop.
 */
final class Client implements EngineSession.Listener {
  private static final Logger log = LoggerFactory.getLogger(Client.class);
  static final int MAX_ATTACHMENTS = 10;

  final EngineSession session;
  private final SocketIoServer server;
  private final SioDecoder decoder;
  /**
   * The sockets by namespace; an immutable map, replaced when one joins or leaves: a client holds
   * one socket or a few, for as long as its connection lives.
   */
  private Map<String, Socket> sockets = Map.of();
  /** A binary packet waiting for its attachments; null if none. */
  private SioPacket pendingBinary;
  /** The attachments received for {@link #pendingBinary}; null if none is waiting. */
  private List<byte[]> attachments;
  /** Ends the session if no namespace is joined in time; null once one is. */
  private ScheduledFuture<?> connectTimer;

  Client(SocketIoServer server, EngineSession session) {
    this.server = server;
    this.session = session;
    this.decoder = server.decoder();
    this.connectTimer = session.loop.schedule(() -> {
      if (sockets.isEmpty()) {
        log.debug("session {}: no namespace joined in time", session.id);
        session.close(DisconnectReason.FORCED_SERVER_CLOSE);
      }
    }, server.options().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  Handshake handshake(ObjectNode auth) {
    return new Handshake(session.headers, session.query, session.address, session.openedAt, session.secure,
        session.url, auth);
  }

  @Override
  public void onMessage(String text) {
    if (pendingBinary != null) {
      fail("text packet while binary attachments were expected");
      return;
    }
    SioPacket packet;
    try {
      packet = decoder.decode(text);
    } catch (ProtocolException e) {
      fail(e.getMessage());
      return;
    }
    if (packet.attachments() > 0) {
      pendingBinary = packet;
      attachments = new ArrayList<>(packet.attachments());
      return;
    }
    dispatch(packet);
  }

  @Override
  public void onBinary(byte[] data) {
    if (pendingBinary == null) {
      fail("unexpected binary attachment");
      return;
    }
    attachments.add(data);
    if (attachments.size() < pendingBinary.attachments()) {
      return;
    }
    SioPacket packet = pendingBinary;
    List<byte[]> received = attachments;
    pendingBinary = null;
    attachments = null;
    try {
      JsonNode data1 = SioDecoder.reconstruct(packet.data(), received);
      dispatch(packet.withData(data1));
    } catch (ProtocolException e) {
      fail(e.getMessage());
    }
  }

  private void dispatch(SioPacket packet) {
    if (packet.type() == SioPacket.CONNECT) {
      onConnect(packet);
      return;
    }
    Socket socket = sockets.get(packet.nsp());
    if (socket == null) {
      fail("packet for namespace " + packet.nsp() + " which is not connected");
      return;
    }
    socket.onPacket(packet);
  }

  private void onConnect(SioPacket packet) {
    if (sockets.containsKey(packet.nsp())) {
      log.debug("session {}: already connected to {}", session.id, packet.nsp());
      return;
    }
    ObjectNode auth = packet.data() instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    Optional<Namespace> namespace = server.lookup(packet.nsp());
    if (namespace.isEmpty()) {
      refuse(packet.nsp(), ConnectError.of("Invalid namespace"));
      return;
    }
    namespace.get().connect(this, auth);
  }

  void refuse(String nsp, ConnectError error) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("message", error.message());
    if (error.data() != null) {
      payload.put("data", error.data());
    }
    writeControl(SioPacket.CONNECT_ERROR, nsp, payload);
  }

  void writeControl(int type, String nsp, Object payload) {
    EncodedPacket packet = server.encoder().control(type, nsp, payload);
    try {
      packet.writeTo(session, false);
    } finally {
      packet.release();
    }
  }

  void add(Socket socket) {
    Map<String, Socket> more = new HashMap<>(sockets);
    more.put(socket.namespace().name(), socket);
    sockets = Map.copyOf(more);
    cancelConnectTimer();
  }

  void remove(Socket socket) {
    if (sockets.get(socket.namespace().name()) == socket) {
      Map<String, Socket> fewer = new HashMap<>(sockets);
      fewer.remove(socket.namespace().name());
      sockets = Map.copyOf(fewer);
    }
  }

  private void cancelConnectTimer() {
    if (connectTimer != null) {
      connectTimer.cancel(false);
      connectTimer = null;
    }
  }

  private void fail(String reason) {
    log.debug("session {}: protocol error: {}", session.id, reason);
    session.close(DisconnectReason.PARSE_ERROR);
  }

  @Override
  public void onClose(DisconnectReason reason) {
    cancelConnectTimer();
    for (Socket socket : sockets.values()) {
      socket.onClose(reason);
    }
    sockets = Map.of();
  }
}
