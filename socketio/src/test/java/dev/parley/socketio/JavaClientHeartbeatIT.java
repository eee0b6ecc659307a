package dev.parley.socketio;

import static dev.parley.socketio.JavaClientHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Engine.IO heartbeat with the official Java client, on a server that pings every 100 ms and
 * waits 500 ms for the pong, so that several rounds fit in a short test.
 */
@Timeout(30)
class JavaClientHeartbeatIT {
  private JavaClientHarness harness;
  private SocketIoServer server;
  private final BlockingQueue<DisconnectReason> disconnects = new LinkedBlockingQueue<>();

  @BeforeEach
  void startServer() throws InterruptedException {
    harness = JavaClientHarness.start(options -> options
        .pingInterval(Duration.ofMillis(100))
        .pingTimeout(Duration.ofMillis(500)));
    server = harness.server();
    server.sockets().onConnection(socket -> {
      socket.onDisconnect(disconnects::add);
      socket.on("echo", (args, ack) -> ack.send(args.list().toArray()));
    });
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    harness.close();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void aClientThatAnswersPingsStaysConnected(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.connected(transport, "/");

    for (int i = 0; i < 5; i++) {
      client.awaitPing();
    }

    assertThat(client.emitAndAwaitAck("echo", "alive")).containsExactly("alive");
    assertThat(client.socket().connected()).isTrue();
    assertThat(disconnects).isEmpty();
  }

  @Test
  void aClientThatStopsAnsweringPingsIsDroppedWithPingTimeout() throws Exception {
    RecordingJavaClient bystander = harness.connected(JavaClientTransport.WEBSOCKET, "/");
    RawEngineIoWebSocket silent = RawEngineIoWebSocket.open(server.port());
    assertThat(silent.connectToMainNamespace()).startsWith("40{\"sid\":");

    assertThat(await(disconnects, "the silent client to be dropped")).isEqualTo(DisconnectReason.PING_TIMEOUT);
    silent.awaitClosed();

    assertThat(bystander.emitAndAwaitAck("echo", "alive")).containsExactly("alive");
    assertThat(server.sockets().sockets()).containsOnlyKeys(bystander.id());
  }
}
