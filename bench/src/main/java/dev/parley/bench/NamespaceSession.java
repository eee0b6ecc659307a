package dev.parley.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who one generator client is in its Socket.IO namespace, across connections: the namespace, the
 * auth fields its CONNECT carries and, when it tracks recovery, the private id ({@code pid}) the
 * server gave it and the offset of the last event it received. A reconnection presents both, as
 * the official client does, so that the server can restore the session and replay what was
 * missed.
 *
 * <p>One session may outlive several {@link BenchClient}s (one per connection). Its fields are
 * written by the event loop of the current connection and read when the next one connects.
 */
public final class NamespaceSession {
  /** The main namespace without auth, as the tutorial scenarios use it. */
  private static final NamespaceSession MAIN = new NamespaceSession("/", Map.of(), false);

  private final String namespace;
  private final boolean tracksRecovery;
  private final byte[] eventPrefix;
  private final byte[] ackPrefix;
  /** Auth fields (string values); guarded by {@code this}. */
  private final Map<String, String> auth;
  /** Null until a CONNECT answer carried one. Written by the connection's event loop. */
  private volatile String pid;
  /** Null until an event carried one. Written by the connection's event loop. */
  private volatile String offset;

  private NamespaceSession(String namespace, Map<String, String> auth, boolean tracksRecovery) {
    if (!namespace.startsWith("/") || namespace.indexOf(',') >= 0) {
      throw new IllegalArgumentException("a namespace starts with '/' and has no ',': " + namespace);
    }
    this.namespace = namespace;
    this.auth = new LinkedHashMap<>(auth);
    this.tracksRecovery = tracksRecovery;
    String nsp = isMain() ? "" : namespace + ",";
    this.eventPrefix = ("42" + nsp + "[").getBytes(StandardCharsets.UTF_8);
    this.ackPrefix = ("43" + nsp).getBytes(StandardCharsets.UTF_8);
  }

  /** The main namespace {@code /} without auth or recovery: the same object for every client. */
  public static NamespaceSession main() {
    return MAIN;
  }

  /**
   * A session of {@code namespace} with {@code auth} (string fields only).
   *
   * @param tracksRecovery whether to keep the pid and the last offset and present them again
   */
  public static NamespaceSession of(String namespace, Map<String, String> auth, boolean tracksRecovery) {
    return new NamespaceSession(namespace, auth, tracksRecovery);
  }

  /** The namespace, {@code /} for the main one. */
  public String namespace() {
    return namespace;
  }

  public boolean isMain() {
    return namespace.equals("/");
  }

  /** Whether the pid and the last offset are kept. */
  public boolean tracksRecovery() {
    return tracksRecovery;
  }

  /** {@code 42[} or {@code 42/nsp,[}: how an event without ack id of this namespace starts. */
  byte[] eventPrefix() {
    return eventPrefix;
  }

  /** {@code 43} or {@code 43/nsp,}: how an acknowledgement of this namespace starts, before its id. */
  byte[] ackPrefix() {
    return ackPrefix;
  }

  /** Sets (or replaces) one auth field for the next CONNECT. Any thread. */
  public synchronized void auth(String field, String value) {
    auth.put(field, value);
  }

  /** The private id of the session; empty before the server gave one. */
  public Optional<String> pid() {
    return Optional.ofNullable(pid);
  }

  /** The offset of the last event received; empty before one came. */
  public Optional<String> offset() {
    return Optional.ofNullable(offset);
  }

  /** The server answered CONNECT with this pid. Event loop. */
  void pid(String pid) {
    if (tracksRecovery) {
      this.pid = pid;
    }
  }

  /** An event carried this offset. Event loop. */
  void offset(String offset) {
    this.offset = offset;
  }

  /**
   * The CONNECT packet: {@code 40} for the main namespace without auth, otherwise
   * {@code 40[/nsp,]{auth}} with {@code pid} and {@code offset} added when the session has both.
   */
  public synchronized String connectPacket() {
    Map<String, String> fields = new LinkedHashMap<>(auth);
    String p = pid;
    String o = offset;
    if (tracksRecovery && p != null && o != null) {
      fields.put("pid", p);
      fields.put("offset", o);
    }
    StringBuilder packet = new StringBuilder("40");
    if (!isMain()) {
      packet.append(namespace).append(',');
    }
    if (fields.isEmpty()) {
      return packet.toString();
    }
    packet.append('{');
    boolean first = true;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (!first) {
        packet.append(',');
      }
      first = false;
      packet.append(Json.quote(field.getKey())).append(':').append(Json.quote(field.getValue()));
    }
    return packet.append('}').toString();
  }

  /** The pid presented by {@link #connectPacket()} right now, if any. */
  synchronized Optional<String> presentedPid() {
    return tracksRecovery && pid != null && offset != null ? Optional.of(pid) : Optional.empty();
  }
}
