package dev.parley.server;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * A chat user driving the official Socket.IO Java client against a running Parley: records every
 * event it receives in a queue per event name, and makes requests with bounded waits.
 */
final class ChatClient implements AutoCloseable {
  private static final String[] EVENTS = {"session", "message", "typing", "presence", "member", "room", "unread",
      "role", "room:removed", "loadMessages", "join", "userList", "shutdown", "rate_limited", "signed_out"};

  final Socket socket;
  private final Map<String, BlockingQueue<Object>> events = new ConcurrentHashMap<>();
  /** Every event received, in order, as "event payload". */
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Object> connectErrors = new LinkedBlockingQueue<>();

  private ChatClient(Socket socket) {
    this.socket = socket;
    for (String event : EVENTS) {
      BlockingQueue<Object> queue = queue(event);
      socket.on(event, args -> {
        log.add(event + " " + (args.length == 0 ? "" : args[0]));
        queue.add(args.length == 0 ? "" : args[0]);
      });
    }
    socket.on(Socket.EVENT_CONNECT_ERROR, args -> connectErrors.add(args[0]));
    BlockingQueue<Object> disconnects = queue(Socket.EVENT_DISCONNECT);
    socket.on(Socket.EVENT_DISCONNECT, args -> disconnects.add(args.length == 0 ? "" : args[0]));
  }

  /** A guest on /chat, connected over WebSocket. */
  static ChatClient chat(int port, String name) {
    return chat(port, name, null);
  }

  static ChatClient chat(int port, String name, String guestKey) {
    IO.Options options = IO.Options.builder().setTransports(new String[] {"websocket"})
        .setReconnection(false).setForceNew(true)
        .setAuth(guestKey == null ? Map.of("name", name) : Map.of("name", name, "guestKey", guestKey)).build();
    ChatClient client = new ChatClient(IO.socket(URI.create("http://127.0.0.1:" + port + "/chat"), options));
    client.socket.connect();
    return client;
  }

  /**
   * A guest on /chat of the server at {@code base} ({@code http://…} or {@code https://…}), with
   * {@code options} (transports, HTTP client…) to which the name is added; connecting.
   */
  static ChatClient chat(URI base, String name, IO.Options options) {
    options.reconnection = false;
    options.forceNew = true;
    options.auth = Map.of("name", name);
    ChatClient client = new ChatClient(IO.socket(base.resolve("/chat"), options));
    client.socket.connect();
    return client;
  }

  /**
   * A client of /chat over WebSocket that signs in with {@code auth} (a token, or a guest name)
   * and sends {@code cookie} (when not null) as its handshake's Cookie header.
   */
  static ChatClient signedIn(int port, Map<String, String> auth, String cookie) {
    io.socket.client.SocketOptionBuilder builder = IO.Options.builder().setTransports(new String[] {"websocket"})
        .setReconnection(false).setForceNew(true).setAuth(auth);
    if (cookie != null) {
      builder.setExtraHeaders(Map.of("Cookie", java.util.List.of(cookie)));
    }
    ChatClient client = new ChatClient(IO.socket(URI.create("http://127.0.0.1:" + port + "/chat"), builder.build()));
    client.socket.connect();
    return client;
  }

  /** A page of the tutorial: the default namespace, default transports. */
  static ChatClient tutorial(int port) {
    IO.Options options = IO.Options.builder().setReconnection(false).setForceNew(true).build();
    ChatClient client = new ChatClient(IO.socket(URI.create("http://127.0.0.1:" + port + "/"), options));
    client.socket.connect();
    return client;
  }

  /** Every event received so far, in order, each as its name and its first argument. */
  List<String> log() {
    return List.copyOf(log);
  }

  BlockingQueue<Object> queue(String event) {
    return events.computeIfAbsent(event, e -> new LinkedBlockingQueue<>());
  }

  /** The next {@code event} received, waiting at most 5 s. */
  Object next(String event) throws InterruptedException {
    Object value = queue(event).poll(5, SECONDS);
    if (value == null) {
      throw new AssertionError("Timed out waiting for event '" + event + "'");
    }
    return value;
  }

  JSONObject nextObject(String event) throws InterruptedException {
    return (JSONObject) next(event);
  }

  /** The session event, once connected. */
  JSONObject session() throws InterruptedException {
    return nextObject("session");
  }

  Object connectError() throws InterruptedException {
    Object value = connectErrors.poll(5, SECONDS);
    if (value == null) {
      throw new AssertionError("Timed out waiting for a connect_error");
    }
    return value;
  }

  /** Sends a request and waits at most 5 s for its acknowledgement. */
  JSONObject request(String event, JSONObject body) throws InterruptedException {
    BlockingQueue<Object> reply = new LinkedBlockingQueue<>();
    socket.emit(event, new Object[] {body}, (Ack) args -> reply.add(args.length == 0 ? "" : args[0]));
    Object value = reply.poll(5, SECONDS);
    if (value == null) {
      throw new AssertionError("Timed out waiting for the acknowledgement of '" + event + "'");
    }
    return (JSONObject) value;
  }

  /**
   * Sends an event with exactly these arguments (any JSON value, {@code byte[]} for a binary
   * attachment, none at all) and waits at most 5 s for its acknowledgement's first argument.
   */
  Object requestWithArgs(String event, Object... args) throws InterruptedException {
    BlockingQueue<Object> reply = new LinkedBlockingQueue<>();
    socket.emit(event, args, (Ack) ackArgs -> reply.add(ackArgs.length == 0 ? "" : ackArgs[0]));
    Object value = reply.poll(5, SECONDS);
    if (value == null) {
      throw new AssertionError("Timed out waiting for the acknowledgement of '" + event + "'");
    }
    return value;
  }

  JSONObject request(String event, Object... keyValues) throws InterruptedException {
    return request(event, json(keyValues));
  }

  static JSONObject json(Object... keyValues) {
    JSONObject o = new JSONObject();
    try {
      for (int i = 0; i < keyValues.length; i += 2) {
        o.put((String) keyValues[i], keyValues[i + 1]);
      }
    } catch (JSONException e) {
      throw new IllegalArgumentException(e);
    }
    return o;
  }

  @Override
  public void close() {
    socket.disconnect();
    socket.close();
  }
}
