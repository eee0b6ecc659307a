package dev.parley.bench;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's protocol state machine, fed frames through an EmbeddedChannel (no socket). */
@Timeout(10)
class BenchClientHandlerTest {
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final BenchClient client = new BenchClient(0);
  private EmbeddedChannel channel;

  @BeforeEach
  void connect() {
    ClientListener recorder = new ClientListener() {
      @Override
      public void onEvent(BenchClient c, ByteBuf frame) {
        events.add(frame.toString(StandardCharsets.UTF_8));
      }
    };
    channel = new EmbeddedChannel(new BenchClientHandler(client, recorder, new PacketParser(new ObjectMapper())));
    client.attach(channel);
  }

  private void receive(String text) {
    channel.writeInbound(new TextWebSocketFrame(text));
    channel.runPendingTasks();
  }

  private String sent() {
    TextWebSocketFrame frame = channel.readOutbound();
    assertThat(frame).as("a frame was sent").isNotNull();
    try {
      return frame.text();
    } finally {
      frame.release();
    }
  }

  private void handshake() {
    receive("0{\"sid\":\"e1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    sent();
    receive("40{\"sid\":\"s1\"}");
  }

  @Test
  void answersTheOpenPacketWithANamespaceConnect() {
    receive("0{\"sid\":\"e1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");

    assertThat(sent()).isEqualTo("40");
    assertThat(client.connected()).isNotDone();
  }

  @Test
  void isConnectedWithTheNamespaceSid() {
    handshake();

    assertThat(client.connected()).isCompletedWithValue(client);
    assertThat(client.sid()).isEqualTo("s1");
  }

  @Test
  void answersPingsWithPongs() {
    handshake();

    receive("2");

    assertThat(sent()).isEqualTo("3");
  }

  @Test
  void handsEventsToTheListenerAsTheyCame() throws InterruptedException {
    handshake();

    receive("42[\"message\",{\"t\":1,\"s\":0,\"room\":\"r\",\"text\":\"x\"}]");
    receive("42[\"dm\",{\"t\":2}]");

    assertThat(events.poll(5, SECONDS)).isEqualTo("42[\"message\",{\"t\":1,\"s\":0,\"room\":\"r\",\"text\":\"x\"}]");
    assertThat(events.poll(5, SECONDS)).isEqualTo("42[\"dm\",{\"t\":2}]");
  }

  @Test
  void matchesAcknowledgementsToTheirEvents() {
    handshake();

    CompletableFuture<String> first = client.emitWithAck("join", Payloads.room("a"));
    CompletableFuture<String> second = client.emitWithAck("join", Payloads.room("b"));
    channel.runPendingTasks();
    assertThat(sent()).isEqualTo("420[\"join\",{\"room\":\"a\"}]");
    assertThat(sent()).isEqualTo("421[\"join\",{\"room\":\"b\"}]");

    receive("431[{\"room\":\"b\"}]");
    receive("430[{\"room\":\"a\"}]");

    assertThat(first).isCompletedWithValue("[{\"room\":\"a\"}]");
    assertThat(second).isCompletedWithValue("[{\"room\":\"b\"}]");
  }

  @Test
  void failsWhatIsPendingWhenTheConnectionCloses() {
    receive("0{\"sid\":\"e1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    sent();
    CompletableFuture<String> ack = client.emitWithAck("stats", null);
    channel.runPendingTasks();

    receive("1");

    assertThat(channel.isOpen()).isFalse();
    assertThat(client.connected()).isCompletedExceptionally();
    assertThat(ack).isCompletedExceptionally();
    assertThat(client.closed()).isDone();
  }

  @Test
  void closesWhenTheNamespaceRefuses() {
    receive("0{\"sid\":\"e1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    sent();

    receive("44{\"message\":\"Not authorized\"}");

    assertThat(channel.isOpen()).isFalse();
    assertThat(client.connected()).isCompletedExceptionally();
  }
}
