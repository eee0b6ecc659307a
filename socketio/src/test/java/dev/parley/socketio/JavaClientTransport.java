package dev.parley.socketio;

/**
 * The transport settings an official Java client can be given, and the Engine.IO transport the
 * session ends up on with each.
 */
enum JavaClientTransport {
  /** Long-polling only. */
  POLLING(new String[] {"polling"}, "polling"),
  /** WebSocket from the first request. */
  WEBSOCKET(new String[] {"websocket"}, "websocket"),
  /** The client's default: opens with long-polling, then upgrades to WebSocket. */
  UPGRADE(new String[] {"polling", "websocket"}, "websocket");

  private final String[] clientTransports;
  private final String finalTransport;

  JavaClientTransport(String[] clientTransports, String finalTransport) {
    this.clientTransports = clientTransports;
    this.finalTransport = finalTransport;
  }

  /** The value for the client's {@code transports} option. */
  String[] clientTransports() {
    return clientTransports.clone();
  }

  /** The transport the session uses once it has settled. */
  String finalTransport() {
    return finalTransport;
  }

  /** Whether the session starts on polling and switches to WebSocket. */
  boolean upgrades() {
    return this == UPGRADE;
  }
}
