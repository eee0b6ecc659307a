package dev.parley.socketio;

import static dev.parley.socketio.EmbeddedEngine.header;
import static dev.parley.socketio.EmbeddedEngine.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.socketio.EmbeddedEngine.Response;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One Engine.IO session over long-polling, driven through the HTTP handler: what a client posts
 * reaches the listener, what the server sends waits for a poll, the heartbeat runs on a frozen
 * clock, and the ways a session ends (client close, server close, parse error, overlapping polls,
 * ping timeout, slow consumer). The upgrade to WebSocket uses a bare channel as the WebSocket.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EngineSessionTest {
  private final EmbeddedEngine engine = new EmbeddedEngine();

  private static TextWebSocketFrame text(String packet) {
    return EnginePackets.text(ByteBufAllocator.DEFAULT, packet.charAt(0), packet.substring(1));
  }

  private Response poll(String sid) {
    return engine.get(engine.connect(), query(sid));
  }

  private void assertGone(String sid) throws Exception {
    Response response = poll(sid);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("code").intValue()).isEqualTo(1);
    assertThat(engine.server.session(sid)).isEmpty();
  }

  @Nested
  class Messages {
    @Test
    void postedPacketsReachTheListenerInOrder() throws Exception {
      String sid = engine.handshake();

      Response response = engine.post(engine.connect(), query(sid), "4hello\u001e4wörld\u001ebAQIDBA==\u001e4");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("ok");
      assertThat(header(response, HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/html");
      assertThat(engine.events).containsExactly("message:hello", "message:wörld", "binary:4", "message:");
    }

    @Test
    void noopsAreIgnored() throws Exception {
      String sid = engine.handshake();

      engine.post(engine.connect(), query(sid), "6\u001e4a");

      assertThat(engine.events).containsExactly("message:a");
      assertThat(engine.session(sid).isOpen()).isTrue();
    }

    @Test
    void pollReturnsEverythingQueuedInOnePayload() throws Exception {
      String sid = engine.handshake();
      EngineSession session = engine.session(sid);
      session.send(text("4hello"), false);
      session.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4})), false);
      session.send(text("4é"), false);

      Response response = poll(sid);

      assertThat(response.status()).isEqualTo(200);
      assertThat(header(response, HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; charset=UTF-8");
      assertThat(response.body()).isEqualTo("4hello\u001ebAQIDBA==\u001e4é");
    }

    @Test
    void waitingPollIsAnsweredWithThePacketsOfOneBatch() throws Exception {
      String sid = engine.handshake();
      EmbeddedChannel connection = engine.connect();
      assertThat(engine.get(connection, query(sid))).as("nothing to send yet").isNull();

      EngineSession session = engine.session(sid);
      session.send(text("4first"), false);
      session.send(text("4second"), false);

      assertThat(engine.read(connection).body()).isEqualTo("4first\u001e4second");
      assertThat(poll(sid)).as("the next poll waits again").isNull();
    }

    @Test
    void sameConnectionCanPollAgainAfterAnAnswer() throws Exception {
      String sid = engine.handshake();
      EmbeddedChannel connection = engine.connect();
      engine.session(sid).send(text("4one"), false);
      assertThat(engine.get(connection, query(sid)).body()).isEqualTo("4one");

      assertThat(engine.get(connection, query(sid))).isNull();
      engine.session(sid).send(text("4two"), false);

      assertThat(engine.read(connection).body()).isEqualTo("4two");
    }
  }

  @Nested
  class BadInput {
    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "4a\u001e", "\u001e4a", "7", "bAQ=D", "4ok\u001ezzz"})
    void invalidPayloadClosesTheSession(String body) throws Exception {
      String sid = engine.handshake();

      Response response = engine.post(engine.connect(), query(sid), body);

      assertThat(response.status()).isEqualTo(400);
      assertThat(engine.events).containsExactly("close:parse error");
      assertGone(sid);
    }

    @Test
    void invalidPayloadEndsTheWaitingPollWithAClosePacket() throws Exception {
      String sid = engine.handshake();
      EmbeddedChannel polling = engine.connect();
      engine.get(polling, query(sid));

      engine.post(engine.connect(), query(sid), "abc");

      Response answer = engine.read(polling);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("1");
    }

    @Test
    void overlappingPollsCloseTheSession() throws Exception {
      String sid = engine.handshake();
      EmbeddedChannel first = engine.connect();
      EmbeddedChannel second = engine.connect();
      assertThat(engine.get(first, query(sid))).isNull();

      Response overlap = engine.get(second, query(sid) + "&t=burst");

      assertThat(overlap.status()).isEqualTo(400);
      Response answer = engine.read(first);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("1");
      assertThat(engine.events).containsExactly("close:transport error");
      assertGone(sid);
    }

    @Test
    void otherSessionsLiveOn() throws Exception {
      String bad = engine.handshake();
      String good = engine.handshake();

      engine.post(engine.connect(), query(bad), "abc");
      engine.post(engine.connect(), query(good), "4still here");

      assertThat(engine.events).containsExactly("close:parse error", "message:still here");
      assertThat(engine.session(good).isOpen()).isTrue();
    }
  }

  @Nested
  class Heartbeat {
    @Test
    void pingEveryIntervalAndPongKeepsTheSession() throws Exception {
      String sid = engine.handshake();
      EmbeddedChannel polling = engine.connect();
      assertThat(engine.get(polling, query(sid))).isNull();

      engine.advance(Duration.ofMillis(299));
      assertThat(engine.read(polling)).as("no ping before pingInterval").isNull();
      engine.advance(Duration.ofMillis(1));
      assertThat(engine.read(polling).body()).isEqualTo("2");

      assertThat(engine.post(engine.connect(), query(sid), "3").body()).isEqualTo("ok");
      engine.advance(Duration.ofMillis(250));
      assertThat(engine.session(sid).isOpen()).as("pong answered in time").isTrue();

      engine.advance(Duration.ofMillis(50));
      assertThat(poll(sid).body()).as("next ping, pingInterval after the pong").isEqualTo("2");
      assertThat(engine.events).isEmpty();
    }

    @Test
    void missingPongClosesTheSession() throws Exception {
      String sid = engine.handshake();

      engine.advance(Duration.ofMillis(300));
      assertThat(poll(sid).body()).isEqualTo("2");
      engine.advance(Duration.ofMillis(199));
      assertThat(engine.session(sid).isOpen()).isTrue();
      engine.advance(Duration.ofMillis(1));

      assertThat(engine.events).containsExactly("close:ping timeout");
      assertGone(sid);
    }

    @Test
    void aPingFromTheClientEndsTheSessionAsInTheReferenceServer() throws Exception {
      String sid = engine.handshake();

      engine.post(engine.connect(), query(sid), "2");

      assertThat(engine.events).containsExactly("close:transport error");
      assertGone(sid);
    }
  }

  @Nested
  class Closing {
    @Test
    void clientCloseEndsTheWaitingPollWithANoop() throws Exception {
      String sid = engine.handshake();
      EmbeddedChannel polling = engine.connect();
      engine.get(polling, query(sid));

      Response post = engine.post(engine.connect(), query(sid), "1");

      assertThat(post.body()).isEqualTo("ok");
      assertThat(engine.read(polling).body()).isEqualTo("6");
      assertThat(engine.events).containsExactly("close:transport close");
      assertGone(sid);
    }

    @Test
    void clientCloseBeforeItsLastPoll() throws Exception {
      String sid = engine.handshake();
      engine.session(sid).send(text("4dropped"), false);

      engine.post(engine.connect(), query(sid), "1");

      assertThat(engine.events).containsExactly("close:transport close");
      assertThat(poll(sid).body()).isEqualTo("6");
      assertGone(sid);
    }

    @Test
    void clientThatNeverPollsAfterItsCloseIsForgotten() throws Exception {
      String sid = engine.handshake();

      engine.post(engine.connect(), query(sid), "1");
      engine.advance(Duration.ofMillis(200));

      assertGone(sid);
    }

    @Test
    void serverCloseAnswersTheWaitingPollWithAClosePacket() throws Exception {
      String sid = engine.handshake();
      EmbeddedChannel polling = engine.connect();
      engine.get(polling, query(sid));

      engine.session(sid).close(DisconnectReason.FORCED_SERVER_CLOSE);

      assertThat(engine.read(polling).body()).isEqualTo("1");
      assertThat(engine.events).containsExactly("close:forced server close");
      assertGone(sid);
    }

    @Test
    void serverCloseDeliversWhatWasQueuedWithTheNextPoll() throws Exception {
      String sid = engine.handshake();
      EngineSession session = engine.session(sid);
      session.send(text("4last words"), false);

      session.close(DisconnectReason.SERVER_SHUTTING_DOWN);
      session.send(text("4too late"), false);

      assertThat(engine.events).containsExactly("close:server shutting down");
      assertThat(session.isOpen()).isFalse();
      assertThat(poll(sid).body()).isEqualTo("4last words\u001e1");
      assertGone(sid);
    }

    @Test
    void closedConnectionOfAWaitingPollClosesTheSession() throws Exception {
      String sid = engine.handshake();
      EmbeddedChannel polling = engine.connect();
      engine.get(polling, query(sid));

      polling.close();
      engine.runPendingTasks();

      assertThat(engine.events).containsExactly("close:transport close");
      assertThat(engine.server.session(sid)).isEmpty();
    }

    @Test
    void closedConnectionAfterItsPollWasAnsweredDoesNot() throws Exception {
      String sid = engine.handshake();
      EmbeddedChannel polling = engine.connect();
      engine.session(sid).send(text("4x"), false);
      engine.get(polling, query(sid));

      polling.close();
      engine.runPendingTasks();

      assertThat(engine.events).isEmpty();
      assertThat(engine.session(sid).isOpen()).isTrue();
    }
  }

  @Nested
  class SlowConsumer {
    private final EmbeddedEngine slow =
        new EmbeddedEngine(b -> b.writeBufferWaterMarks(8, 16).maxOutboundBytes(32));

    @Test
    void volatilePacketsAreDroppedAboveTheHighWaterMark() throws Exception {
      String sid = slow.handshake();
      EngineSession session = slow.session(sid);

      session.send(text("4volatile1"), true);
      session.send(text("4volatile2"), true);
      session.send(text("4kept"), false);

      assertThat(slow.get(slow.connect(), query(sid)).body()).isEqualTo("4volatile1\u001e4kept");
    }

    @Test
    void clientThatDoesNotPollIsDisconnectedPastMaxOutboundBytes() throws Exception {
      String sid = slow.handshake();
      EngineSession session = slow.session(sid);

      for (int i = 0; i < 4; i++) {
        session.send(text("4ten bytes"), false);
      }
      slow.runPendingTasks();

      assertThat(slow.events).containsExactly("close:slow consumer");
      assertThat(slow.server.session(sid)).isEmpty();
    }
  }

  @Nested
  class Upgrade {
    private String sid;
    private EngineSession session;
    private EmbeddedChannel webSocket;

    private void probe() throws Exception {
      sid = engine.handshake();
      session = engine.session(sid);
      // A WebSocket as the handshake leaves it: the server's frame encoder in the pipeline.
      webSocket = engine.track(new EmbeddedChannel(new WebSocket08FrameEncoder(false)));
      // Reads what the server wrote as a client would: frames decoded from the bytes.
      client = engine.track(new EmbeddedChannel(new WebSocket08FrameDecoder(
          WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false).build())));
      assertThat(session.beginUpgrade(webSocket)).isTrue();
    }

    private EmbeddedChannel client;

    private String nextFrame() {
      engine.runPendingTasks();
      io.netty.buffer.ByteBuf bytes;
      while ((bytes = webSocket.readOutbound()) != null) {
        client.writeInbound(bytes);
      }
      WebSocketFrame frame = client.readInbound();
      if (frame == null) {
        return null;
      }
      try {
        return frame instanceof TextWebSocketFrame text ? text.text() : "binary";
      } finally {
        frame.release();
      }
    }

    @Test
    void probeThenUpgradeMovesTheSessionToTheWebSocket() throws Exception {
      probe();
      EmbeddedChannel polling = engine.connect();
      engine.get(polling, query(sid));

      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("2probe"));

      assertThat(nextFrame()).isEqualTo("3probe");
      assertThat(engine.read(polling)).as("the upgrade may complete first").isNull();
      engine.advance(Duration.ofMillis(100));
      assertThat(engine.read(polling).body()).as("the waiting poll ends for the switch").isEqualTo("6");

      session.send(text("4during the switch"), false);
      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("5"));

      assertThat(session.transport()).isEqualTo(ServerOptions.Transport.WEBSOCKET);
      assertThat(nextFrame()).isEqualTo("4during the switch");
      session.send(text("4after"), false);
      assertThat(nextFrame()).isEqualTo("4after");
      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("4hello"));
      assertThat(engine.events).containsExactly("message:hello");
    }

    @Test
    void httpRequestsWithTheSameSidAfterTheUpgradeAreRefused() throws Exception {
      probe();
      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("2probe"));
      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("5"));

      assertThat(poll(sid).status()).isEqualTo(400);
      assertThat(engine.post(engine.connect(), query(sid), "4x").status()).isEqualTo(400);
      assertThat(session.isOpen()).isTrue();
      assertThat(session.beginUpgrade(engine.track(new EmbeddedChannel()))).as("a second WebSocket").isFalse();
    }

    @Test
    void pollDuringTheProbeEndsWithANoopShortlyAfter() throws Exception {
      probe();
      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("2probe"));
      EmbeddedChannel polling = engine.connect();
      assertThat(engine.get(polling, query(sid))).as("held while the upgrade may complete").isNull();

      engine.advance(Duration.ofMillis(100));

      assertThat(engine.read(polling).body()).isEqualTo("6");
    }

    @Test
    void pollStillOpenWhenTheUpgradeCompletesIsRefused() throws Exception {
      probe();
      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("2probe"));
      EmbeddedChannel polling = engine.connect();
      engine.get(polling, query(sid));
      session.send(text("4queued"), false);

      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("5"));

      assertThat(engine.read(polling).status()).isEqualTo(400);
      assertThat(nextFrame()).isEqualTo("3probe");
      assertThat(nextFrame()).as("what was queued goes over the WebSocket").isEqualTo("4queued");
    }

    @Test
    void upgradeWithoutProbeIsAbandoned() throws Exception {
      probe();

      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("5"));

      assertThat(webSocket.isOpen()).isFalse();
      assertThat(session.transport()).isEqualTo(ServerOptions.Transport.POLLING);
      assertThat(session.isOpen()).isTrue();
    }

    @Test
    void upgradeThatNeverCompletesTimesOut() throws Exception {
      probe();
      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("2probe"));

      engine.advance(engine.options.upgradeTimeout());

      assertThat(webSocket.isOpen()).isFalse();
      assertThat(session.transport()).isEqualTo(ServerOptions.Transport.POLLING);
      assertThat(session.beginUpgrade(engine.track(new EmbeddedChannel()))).as("a new attempt").isTrue();
    }

    @Test
    void closingTheUpgradedWebSocketClosesTheSession() throws Exception {
      probe();
      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("2probe"));
      session.onWebSocketPacket(webSocket, EnginePackets.Inbound.ofText("5"));

      webSocket.close();
      engine.runPendingTasks();

      assertThat(engine.events).containsExactly("close:transport close");
      assertThat(engine.server.session(sid)).isEmpty();
    }
  }
}
