package dev.parley.server;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Socket.IO client that sends exactly the frames it is given, over the JDK's WebSocket: for
 * packets no official client would write (malformed, duplicate keys, numbers out of any range,
 * binary frames out of place). It answers the server's Engine.IO pings, records every other text
 * frame, and waits for acknowledgements by id.
 */
final class RawSocketIo implements AutoCloseable {
  /** Starts the entry of the text queue that says the connection ended (no packet starts so). */
  static final String CLOSED = "(connection ended) ";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long WAIT_MS = 5000;

  /** Text frames from the server, and {@link #CLOSED} followed by how, once the connection ends. */
  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  /** Set once the connection has ended. */
  private volatile String closed;
  /** Set once open. */
  private volatile WebSocket webSocket;
  /**
   * The last frame queued for sending: the JDK's WebSocket takes one send at a time, and pongs go
   * out from the listener's thread while a test thread sends. Guarded by {@code this}.
   */
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

  private RawSocketIo() {}

  /** Opens an Engine.IO session over WebSocket and reads its open packet. */
  static RawSocketIo open(int port) throws Exception {
    RawSocketIo raw = new RawSocketIo();
    URI url = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
    raw.webSocket = HTTP.newWebSocketBuilder().buildAsync(url, raw.new Listener()).get(WAIT_MS, MILLISECONDS);
    String open = raw.nextText();
    if (!open.startsWith("0{")) {
      throw new AssertionError("expected an Engine.IO open packet, got " + open);
    }
    return raw;
  }

  /** Opens a session and connects to {@code /chat} as the guest {@code name}. */
  static RawSocketIo chat(int port, String name) throws Exception {
    RawSocketIo raw = open(port);
    String reply = raw.connect("/chat", "{\"name\":\"" + name + "\"}");
    if (!reply.startsWith("40/chat,{\"sid\"")) {
      throw new AssertionError("could not connect to /chat as " + name + ": " + reply);
    }
    return raw;
  }

  /** Sends a CONNECT for {@code nsp} and returns the server's CONNECT or CONNECT_ERROR for it. */
  String connect(String nsp, String authJson) throws Exception {
    send("40" + nsp + "," + authJson);
    return next(p -> p.startsWith("40" + nsp + ",") || p.startsWith("44" + nsp + ","),
        "the answer to the CONNECT of " + nsp);
  }

  /** Sends a text frame as it is. */
  void send(String frame) throws Exception {
    enqueue(ws -> ws.sendText(frame, true)).get(WAIT_MS, MILLISECONDS);
  }

  /** Sends a binary frame. */
  void sendBinary(byte[] frame) throws Exception {
    enqueue(ws -> ws.sendBinary(ByteBuffer.wrap(frame), true)).get(WAIT_MS, MILLISECONDS);
  }

  private synchronized CompletableFuture<?> enqueue(Function<WebSocket, CompletableFuture<WebSocket>> send) {
    sending = sending.handle((v, e) -> null).thenCompose(v -> send.apply(webSocket));
    return sending;
  }

  /**
   * Sends the event packet {@code 42/chat,<id><arrayJson>} and returns the JSON of its
   * acknowledgement's arguments (the text after {@code 43/chat,<id>}).
   */
  String request(long id, String arrayJson) throws Exception {
    send("42/chat," + id + arrayJson);
    return ack(id);
  }

  /** The arguments of the acknowledgement {@code id} on /chat, as JSON text. */
  String ack(long id) throws InterruptedException {
    String prefix = "43/chat," + id + "[";
    return next(p -> p.startsWith(prefix), "the acknowledgement " + id).substring(prefix.length() - 1);
  }

  /** The next text packet that matches, skipping others; fails after 5 s or if the connection ends. */
  String next(java.util.function.Predicate<String> wanted, String what) throws InterruptedException {
    String text = nextOrClosed(wanted, what);
    if (text.startsWith(CLOSED)) {
      throw new AssertionError("The connection ended (" + text.substring(CLOSED.length()) + ") while waiting for " + what);
    }
    return text;
  }

  /**
   * The next text packet that matches, or {@link #CLOSED} and how the connection ended, whichever
   * comes first; fails after 5 s.
   */
  String nextOrClosed(java.util.function.Predicate<String> wanted, String what) throws InterruptedException {
    long end = System.nanoTime() + MILLISECONDS.toNanos(WAIT_MS);
    while (true) {
      String text = texts.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (text == null) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      if (text.startsWith(CLOSED) || wanted.test(text)) {
        return text;
      }
    }
  }

  String nextText() throws InterruptedException {
    return next(p -> true, "a text frame");
  }

  /** Waits until the server closes the connection; returns how ("closed with 1009", …). */
  String awaitClosed() throws InterruptedException {
    String text = nextOrClosed(p -> false, "the server to close the WebSocket");
    return text.substring(CLOSED.length());
  }

  boolean isClosed() {
    return closed != null;
  }

  @Override
  public void close() {
    webSocket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    /** A text message split over frames. Only touched by the listener's thread. */
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket ws) {
      ws.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        if (text.equals("2")) {
          enqueue(w -> w.sendText("3", true));
        } else {
          texts.add(text);
        }
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      ended("closed with " + statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      ended("failed with " + error);
    }

    private void ended(String how) {
      closed = how;
      texts.add(CLOSED + how);
    }
  }
}
