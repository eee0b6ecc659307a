package dev.parley.socketio;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The registry of Engine.IO sessions and the factory that opens them. Thread-safe. */
final class EngineServer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServerOptions options;
  private final Function<EngineSession, EngineSession.Listener> listeners;
  private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
  /** One for every WebSocket: the decoder keeps a reference to it for as long as it lives. */
  private final WebSocketDecoderConfig webSocketDecoderConfig;

  EngineServer(ServerOptions options, Function<EngineSession, EngineSession.Listener> listeners) {
    this.options = options;
    this.listeners = listeners;
    this.webSocketDecoderConfig = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(options.maxPayload())
        .allowExtensions(false).allowMaskMismatch(false).build();
  }

  ServerOptions options() {
    return options;
  }

  WebSocketDecoderConfig webSocketDecoderConfig() {
    return webSocketDecoderConfig;
  }

  Optional<EngineSession> session(String id) {
    return Optional.ofNullable(sessions.get(id));
  }

  int sessionCount() {
    return sessions.size();
  }

  Iterable<EngineSession> sessions() {
    return sessions.values();
  }

  /** A new session, registered but not yet open. */
  EngineSession create(EventLoop loop, ServerOptions.Transport transport, Map<String, String> headers,
      Map<String, String> query, InetSocketAddress address, boolean secure, String url) {
    EngineSession session;
    do {
      session = new EngineSession(this, newId(), loop, transport, headers, query, address, secure, url);
    } while (sessions.putIfAbsent(session.id, session) != null);
    return session;
  }

  /** Hands a new session to its listener; on the session's loop. */
  void open(EngineSession session, Channel webSocket) {
    session.open(listeners.apply(session), webSocket);
  }

  void remove(EngineSession session) {
    sessions.remove(session.id, session);
  }

  /** A random, URL-safe, unguessable id of 20 characters. */
  static String newId() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
