package dev.parley.socketio;

/** Why a socket left its namespace; {@link #wireName()} is the reason Node.js Socket.IO reports. */
public enum DisconnectReason {
  /** The server called {@link Socket#disconnect(boolean)}. */
  SERVER_NAMESPACE_DISCONNECT("server namespace disconnect", false),
  /** The client left the namespace. */
  CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect", false),
  /** The server closed the whole connection. */
  FORCED_SERVER_CLOSE("forced server close", true),
  /** The client closed the connection with a close packet. */
  FORCED_CLOSE("forced close", true),
  /** The connection was closed without a close packet. */
  TRANSPORT_CLOSE("transport close", true),
  /** The transport failed. */
  TRANSPORT_ERROR("transport error", true),
  /** The client did not answer a ping in time. */
  PING_TIMEOUT("ping timeout", true),
  /** The client sent a packet that does not follow the protocol. */
  PARSE_ERROR("parse error", false),
  /** The client read too slowly and its outbound buffer filled up. */
  SLOW_CONSUMER("slow consumer", true),
  /** The server is stopping. */
  SERVER_SHUTTING_DOWN("server shutting down", true);

  private final String wireName;
  private final boolean recoverable;

  DisconnectReason(String wireName, boolean recoverable) {
    this.wireName = wireName;
    this.recoverable = recoverable;
  }

  /** The reason as Node.js Socket.IO names it. */
  public String wireName() {
    return wireName;
  }

  /** Whether a session closed for this reason can be recovered by a reconnecting client. */
  public boolean recoverable() {
    return recoverable;
  }
}
