package dev.parley.socketio;

import static dev.parley.socketio.JavaClientHarness.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare Engine.IO WebSocket client on the JDK's WebSocket: it sends exactly the packets it is
 * given, answers nothing by itself (not even pings), and records what the server sends.
 */
final class RawEngineIoWebSocket implements WebSocket.Listener {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
  /** Parts of a text message split over several frames. Only touched by the listener's thread. */
  private final StringBuilder partial = new StringBuilder();
  /** Set once the WebSocket is open. */
  private volatile WebSocket webSocket;

  private RawEngineIoWebSocket() {}

  /** Opens an Engine.IO session over WebSocket on the server at {@code port}. */
  static RawEngineIoWebSocket open(int port) throws Exception {
    RawEngineIoWebSocket raw = new RawEngineIoWebSocket();
    URI url = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
    raw.webSocket = HTTP.newWebSocketBuilder().buildAsync(url, raw)
        .get(RecordingJavaClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return raw;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(Long.MAX_VALUE);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      texts.add(partial.toString());
      partial.setLength(0);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closes.add("closed with " + statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closes.add("failed with " + error);
  }

  /** Sends a text frame, or a binary one for a packet written {@code b<base64>}. */
  void send(String packet) throws Exception {
    if (packet.startsWith("b")) {
      webSocket.sendBinary(ByteBuffer.wrap(Base64.getDecoder().decode(packet.substring(1))), true)
          .get(RecordingJavaClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      webSocket.sendText(packet, true).get(RecordingJavaClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Connects to namespace {@code /} and returns the server's CONNECT reply. The request goes out
   * at once, before the open packet is read; pings that arrive meanwhile are skipped, unanswered.
   */
  String connectToMainNamespace() throws Exception {
    send("40");
    String open = nextText();
    if (!open.startsWith("0{")) {
      throw new AssertionError("expected an Engine.IO open packet, got " + open);
    }
    String text = nextText();
    while (text.equals("2")) {
      text = nextText();
    }
    return text;
  }

  /** The next text frame from the server. */
  String nextText() throws InterruptedException {
    return await(texts, "a text frame from the server");
  }

  /** Waits until the server has closed the WebSocket. */
  void awaitClosed() throws InterruptedException {
    await(closes, "the server to close the WebSocket");
  }
}
