package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session's WebSocket: what the server writes leaves in order, small messages of one batch in
 * one write; what the client sends in fragments reaches the session joined.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EngineWebSocketTest {
  private final EmbeddedEngine engine = new EmbeddedEngine();
  /** Reads the server's bytes as a client would. */
  private final EmbeddedChannel client = engine.track(new EmbeddedChannel(new WebSocket08FrameDecoder(
      WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build())));

  /** A polling session upgraded to {@code webSocket}. */
  private EngineSession upgrade(EmbeddedChannel webSocket) throws Exception {
    EngineSession session = engine.session(engine.handshake());
    assertThat(session.beginUpgrade(webSocket)).isTrue();
    session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("2probe"));
    session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("5"));
    engine.runPendingTasks();
    assertThat(session.transport()).isEqualTo(ServerOptions.Transport.WEBSOCKET);
    return session;
  }

  private static void broadcast(EngineSession session, String message) {
    ByteBuf text = Unpooled.copiedBuffer(message, StandardCharsets.UTF_8);
    EncodedPacket packet = EncodedPacket.of(ByteBufAllocator.DEFAULT, text, List.of());
    text.release();
    packet.writeTo(session, false);
    packet.release();
  }

  /** Every frame the client can read from what {@code webSocket} wrote so far. */
  private List<String> framesFrom(EmbeddedChannel webSocket) {
    engine.runPendingTasks();
    ByteBuf bytes;
    while ((bytes = webSocket.readOutbound()) != null) {
      client.writeInbound(bytes);
    }
    List<String> frames = new ArrayList<>();
    WebSocketFrame frame;
    while ((frame = client.readInbound()) != null) {
      frames.add(frame instanceof TextWebSocketFrame text ? text.text() : frame.getClass().getSimpleName());
      frame.release();
    }
    return frames;
  }

  @Test
  void smallMessagesOfABatchLeaveInOneWrite() throws Exception {
    EmbeddedChannel webSocket = engine.track(new EmbeddedChannel(new WebSocket08FrameEncoder(false)));
    EngineSession session = upgrade(webSocket);
    assertThat(framesFrom(webSocket)).containsExactly("3probe");

    broadcast(session, "4one");
    broadcast(session, "4two");
    broadcast(session, "4three");
    engine.runPendingTasks();

    ByteBuf batch = webSocket.readOutbound();
    assertThat((Object) webSocket.readOutbound()).as("one write").isNull();
    client.writeInbound(batch);
    assertThat(framesFrom(webSocket)).containsExactly("4one", "4two", "4three");
  }

  @Test
  void framesLargeMessagesAndBatchesLeaveInTheOrderTheyWereSent() throws Exception {
    EmbeddedChannel webSocket = engine.track(new EmbeddedChannel(new WebSocket08FrameEncoder(false)));
    EngineSession session = upgrade(webSocket);
    String large = "4" + "x".repeat(EngineSession.COALESCE_MAX_BYTES + 10);

    broadcast(session, "4first");
    session.send(EnginePackets.text(ByteBufAllocator.DEFAULT, '4', "a frame"), false);
    broadcast(session, large);
    broadcast(session, "4last");

    assertThat(framesFrom(webSocket)).containsExactly("3probe", "4first", "4a frame", large, "4last");
  }

  @Test
  void whatWasQueuedLeavesBeforeTheCloseFrame() throws Exception {
    EmbeddedChannel webSocket = engine.track(new EmbeddedChannel(new WebSocket08FrameEncoder(false)));
    EngineSession session = upgrade(webSocket);
    framesFrom(webSocket);

    broadcast(session, "4bye");
    session.close(DisconnectReason.FORCED_SERVER_CLOSE);

    assertThat(framesFrom(webSocket)).containsExactly("4bye", "CloseWebSocketFrame");
  }

  @Test
  void fragmentedMessageReachesTheSessionJoined() throws Exception {
    EngineSession session = engine.session(engine.handshake());
    EmbeddedChannel webSocket = engine.track(new EmbeddedChannel(new EngineWebSocketHandler(session, 64)));
    session.beginUpgrade(webSocket);

    webSocket.writeInbound(new TextWebSocketFrame(false, 0, "2pr"), new ContinuationWebSocketFrame(false, 0, "ob"),
        new ContinuationWebSocketFrame(true, 0, "e"));
    engine.runPendingTasks();

    TextWebSocketFrame answer = webSocket.readOutbound();
    assertThat(answer.text()).isEqualTo("3probe");
    answer.release();
  }

  @Test
  void fragmentedMessageOverMaxPayloadClosesTheConnection() throws Exception {
    EngineSession session = engine.session(engine.handshake());
    EmbeddedChannel webSocket = engine.track(new EmbeddedChannel(new EngineWebSocketHandler(session, 64)));
    session.beginUpgrade(webSocket);

    webSocket.writeInbound(new TextWebSocketFrame(false, 0, "4" + "x".repeat(40)),
        new ContinuationWebSocketFrame(true, 0, "x".repeat(40)));
    engine.runPendingTasks();

    assertThat(webSocket.isOpen()).isFalse();
    assertThat(session.transport()).isEqualTo(ServerOptions.Transport.POLLING);
    assertThat(engine.events).isEmpty();
  }
}
