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

  /** A client of {@code /chat} that tracks recovery, fed frames like the others. */
  private final class ChatClient {
    final NamespaceSession session;
    final BlockingQueue<String> acks = new LinkedBlockingQueue<>();
    final BlockingQueue<String> connects = new LinkedBlockingQueue<>();
    final BenchClient client;
    final EmbeddedChannel channel;

    ChatClient() {
      this(NamespaceSession.of("/chat", java.util.Map.of("name", "ada"), true));
    }

    /** The next connection of {@code session}. */
    ChatClient(NamespaceSession session) {
      this.session = session;
      this.client = new BenchClient(3, session);
      ClientListener recorder = new ClientListener() {
        @Override
        public void onConnected(BenchClient c) {
          connects.add(c.recovered() ? "recovered" : "new");
        }

        @Override
        public void onEvent(BenchClient c, ByteBuf frame) {
          events.add(frame.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void onAck(BenchClient c, long id, ByteBuf frame) {
          acks.add(id + " " + frame.toString(StandardCharsets.UTF_8));
        }
      };
      channel = new EmbeddedChannel(new BenchClientHandler(client, recorder, new PacketParser(new ObjectMapper())));
      client.attach(channel);
    }

    void receive(String text) {
      channel.writeInbound(new TextWebSocketFrame(text));
      channel.runPendingTasks();
    }

    String sent() {
      TextWebSocketFrame frame = channel.readOutbound();
      assertThat(frame).as("a frame was sent").isNotNull();
      try {
        return frame.text();
      } finally {
        frame.release();
      }
    }
  }

  private static final String OPEN =
      "0{\"sid\":\"e1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";

  @Test
  void connectsToItsNamespaceWithItsAuth() {
    ChatClient chat = new ChatClient();

    chat.receive(OPEN);

    assertThat(chat.sent()).isEqualTo("40/chat,{\"name\":\"ada\"}");
  }

  @Test
  void keepsThePidAndTheLastOffsetAndPresentsThemOnReconnecting() throws InterruptedException {
    ChatClient first = new ChatClient();
    first.receive(OPEN);
    first.sent();
    first.receive("40/chat,{\"sid\":\"s1\",\"pid\":\"p1\"}");
    first.receive("42/chat,[\"message\",{\"seq\":1},\"o-1\"]");
    first.receive("42/chat,[\"presence\",{\"user\":{\"id\":\"2\"}},\"o-2\"]");
    first.receive("1");
    assertThat(first.connects.poll(5, SECONDS)).isEqualTo("new");

    ChatClient second = new ChatClient(first.session);
    second.receive(OPEN);

    assertThat(second.sent()).isEqualTo("40/chat,{\"name\":\"ada\",\"pid\":\"p1\",\"offset\":\"o-2\"}");
    second.receive("40/chat,{\"sid\":\"s1\",\"pid\":\"p1\"}");
    assertThat(second.connects.poll(5, SECONDS)).isEqualTo("recovered");
    assertThat(second.client.recovered()).isTrue();
  }

  @Test
  void aNewPidMeansTheSessionWasNotRecovered() throws InterruptedException {
    NamespaceSession session = NamespaceSession.of("/chat", java.util.Map.of("name", "ada"), true);
    session.pid("p-old");
    session.offset("o-9");
    ChatClient chat = new ChatClient(session);
    chat.receive(OPEN);
    chat.sent();

    chat.receive("40/chat,{\"sid\":\"s2\",\"pid\":\"p-new\"}");

    assertThat(chat.connects.poll(5, SECONDS)).isEqualTo("new");
    assertThat(chat.client.recovered()).isFalse();
    assertThat(session.pid()).contains("p-new");
  }

  @Test
  void handsAcksItDoesNotAwaitToTheListenerAndIgnoresOtherNamespaces() throws InterruptedException {
    ChatClient chat = new ChatClient();
    chat.receive(OPEN);
    chat.sent();
    chat.receive("40{\"sid\":\"main\"}");
    assertThat(chat.client.connected()).isNotDone();
    chat.receive("40/chat,{\"sid\":\"s1\",\"pid\":\"p1\"}");

    CompletableFuture<String> join = chat.client.emitWithAck("room:join", "{\"name\":\"general\"}");
    chat.channel.runPendingTasks();
    assertThat(chat.sent()).isEqualTo("42/chat,0[\"room:join\",{\"name\":\"general\"}]");
    chat.receive("43/chat,0[{\"ok\":true}]");
    chat.receive("43/chat,1[{\"ok\":true,\"seq\":4}]");
    chat.receive("42[\"message\",{\"t\":1}]");
    chat.receive("42/chat,[\"message\",{\"seq\":4},\"o-4\"]");

    assertThat(join).isCompletedWithValue("[{\"ok\":true}]");
    assertThat(chat.acks.poll(5, SECONDS)).isEqualTo("1 43/chat,1[{\"ok\":true,\"seq\":4}]");
    assertThat(events.poll(5, SECONDS)).isEqualTo("42/chat,[\"message\",{\"seq\":4},\"o-4\"]");
    assertThat(events).isEmpty();
  }

  @Test
  void takesAckIdsAfterThoseOfItsOwnRequests() {
    ChatClient chat = new ChatClient();
    chat.client.emitWithAck("room:join", "{}");
    chat.channel.runPendingTasks();

    assertThat(chat.client.takeAckId()).isEqualTo(1);
    assertThat(chat.client.takeAckId()).isEqualTo(2);
  }
}
