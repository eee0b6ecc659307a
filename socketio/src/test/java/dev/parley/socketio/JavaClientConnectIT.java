package dev.parley.socketio;

import static dev.parley.socketio.JavaClientHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.IO;
import io.socket.client.Manager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official Java client joins namespaces: fixed and dynamic ones, with an auth payload, through
 * middlewares that may refuse it; and leaves them, on its own or because the server says so.
 */
@Timeout(30)
class JavaClientConnectIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JavaClientHarness harness;
  private SocketIoServer server;

  @BeforeEach
  void startServer() throws InterruptedException {
    harness = JavaClientHarness.start();
    server = harness.server();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    harness.close();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void connectsToTheMainNamespaceOverTheChosenTransport(JavaClientTransport transport) throws Exception {
    BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();
    server.sockets().onConnection(socket -> {
      socket.on("transport", (args, ack) -> ack.send(socket.transport()));
      connected.add(socket);
    });

    RecordingJavaClient client = harness.connected(transport, "/");
    Socket socket = await(connected, "the server-side socket");

    assertThat(socket.id()).isEqualTo(client.id());
    assertThat(socket.namespace().name()).isEqualTo("/");
    assertThat(socket.rooms()).containsExactly(socket.id());
    assertThat(server.sockets().sockets()).containsOnlyKeys(socket.id());
    if (transport.upgrades()) {
      assertThat(client.awaitUpgrade()).isEqualTo("websocket");
    }
    // Sent after any upgrade, so it travels over the final transport.
    assertThat(client.emitAndAwaitAck("transport")).containsExactly(transport.finalTransport());
    assertThat(socket.transport()).isEqualTo(transport.finalTransport());
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void connectsToACustomNamespaceOnly(JavaClientTransport transport) throws Exception {
    BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();
    server.namespace("/chat").onConnection(connected::add);

    RecordingJavaClient client = harness.connected(transport, "/chat");
    Socket socket = await(connected, "the socket of /chat");

    assertThat(socket.id()).isEqualTo(client.id());
    assertThat(socket.namespace().name()).isEqualTo("/chat");
    assertThat(server.namespace("/chat").sockets()).containsOnlyKeys(socket.id());
    assertThat(server.sockets().sockets()).as("sockets of /").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void handsTheAuthPayloadAndQueryToTheHandshake(JavaClientTransport transport) throws Exception {
    BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
    server.namespace("/chat").onConnection(socket -> handshakes.add(socket.handshake()));
    IO.Options options = JavaClientHarness.options(transport);
    options.auth = Map.of("token", "s3cret", "name", "Zoë");
    options.query = "room=lobby";

    harness.client("/chat", options).connectAndWait();
    Handshake handshake = await(handshakes, "the handshake");

    assertThat(handshake.auth()).isEqualTo(JSON.readTree("{\"token\":\"s3cret\",\"name\":\"Zoë\"}"));
    assertThat(handshake.queryParam("room")).contains("lobby");
    assertThat(handshake.queryParam("EIO")).contains("4");
    assertThat(handshake.address().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void anEmptyAuthPayloadIsAnEmptyObject() throws Exception {
    BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
    server.sockets().onConnection(socket -> handshakes.add(socket.handshake()));

    harness.connected(JavaClientTransport.WEBSOCKET, "/");

    assertThat(await(handshakes, "the handshake").auth()).isEqualTo(JSON.createObjectNode());
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void aMiddlewareRefusalReachesTheClientAsConnectErrorWithData(JavaClientTransport transport) throws Exception {
    AtomicInteger admitted = new AtomicInteger();
    Namespace chat = server.namespace("/chat");
    chat.use((socket, next) -> {
      if ("good".equals(socket.handshake().auth().path("token").asText())) {
        next.proceed();
      } else {
        next.refuse(new ConnectError("unauthorized", Map.of("reason", "bad token", "retryable", false)));
      }
    });
    chat.onConnection(socket -> admitted.incrementAndGet());

    IO.Options refusedOptions = JavaClientHarness.options(transport);
    refusedOptions.auth = Map.of("token", "bad");
    RecordingJavaClient refused = harness.client("/chat", refusedOptions).connect();
    JSONObject error = (JSONObject) refused.next("connect_error").arg(0);

    assertThat(error.getString("message")).isEqualTo("unauthorized");
    assertThat(JSON.readTree(error.getJSONObject("data").toString()))
        .isEqualTo(JSON.readTree("{\"reason\":\"bad token\",\"retryable\":false}"));
    assertThat(refused.socket().connected()).isFalse();

    IO.Options goodOptions = JavaClientHarness.options(transport);
    goodOptions.auth = Map.of("token", "good");
    harness.client("/chat", goodOptions).connectAndWait();
    assertThat(admitted).hasValue(1);
    assertThat(chat.sockets()).hasSize(1);
  }

  @Test
  void aMiddlewareMayDecideOnAnotherThread() throws Exception {
    server.sockets().use((socket, next) -> CompletableFuture.runAsync(() -> {
      socket.data().put("checked", true);
      next.proceed();
    }));
    BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();
    server.sockets().onConnection(connected::add);

    harness.connected(JavaClientTransport.POLLING, "/");

    assertThat(await(connected, "the socket").data()).containsEntry("checked", true);
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void anUnknownNamespaceIsRefusedAsInvalid(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.client(transport, "/nowhere").connect();

    JSONObject error = (JSONObject) client.next("connect_error").arg(0);

    assertThat(error.getString("message")).isEqualTo("Invalid namespace");
    assertThat(server.sockets().sockets()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void dynamicNamespacesAreCreatedOnceForTheNamesThePredicateAccepts(JavaClientTransport transport)
      throws Exception {
    AtomicInteger setups = new AtomicInteger();
    server.dynamicNamespaces(name -> name.matches("/team-\\d+"), namespace -> {
      setups.incrementAndGet();
      namespace.onConnection(socket -> socket.emit("welcome", namespace.name()));
    });

    RecordingJavaClient first = harness.client(transport, "/team-42").record("welcome").connect();
    first.next("connect");
    assertThat(first.next("welcome").args()).containsExactly("/team-42");
    RecordingJavaClient second = harness.client(transport, "/team-42").record("welcome").connect();
    second.next("connect");
    assertThat(second.next("welcome").args()).containsExactly("/team-42");
    RecordingJavaClient refused = harness.client(transport, "/team-x").connect();
    JSONObject error = (JSONObject) refused.next("connect_error").arg(0);

    assertThat(error.getString("message")).isEqualTo("Invalid namespace");
    assertThat(setups).hasValue(1);
    assertThat(server.namespace("/team-42").sockets()).containsOnlyKeys(first.id(), second.id());
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void severalNamespacesShareOneConnection(JavaClientTransport transport) throws Exception {
    BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();
    server.sockets().onConnection(connected::add);
    server.namespace("/chat").onConnection(connected::add);
    Manager manager = harness.manager(transport);

    RecordingJavaClient main = harness.client(manager, "/").connectAndWait();
    RecordingJavaClient chat = harness.client(manager, "/chat").connectAndWait();
    Socket first = await(connected, "the socket of /");
    Socket second = await(connected, "the socket of /chat");

    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(first.id()).isEqualTo(main.id()).isNotEqualTo(second.id());
    assertThat(second.id()).isEqualTo(chat.id());
    assertThat(first.handshake().address()).isEqualTo(second.handshake().address());
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void aClientDisconnectIsReportedAsClientNamespaceDisconnect(JavaClientTransport transport) throws Exception {
    BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
    server.sockets().onConnection(socket -> socket.onDisconnect(reasons::add));
    RecordingJavaClient client = harness.connected(transport, "/");
    String id = client.id();

    client.close();

    assertThat(await(reasons, "the server-side disconnect")).isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
    assertThat(server.sockets().sockets()).doesNotContainKey(id);
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void aServerDisconnectEndsTheClientWithoutReconnection(JavaClientTransport transport) throws Exception {
    BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();
    BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
    server.sockets().onConnection(socket -> {
      socket.onDisconnect(reasons::add);
      connected.add(socket);
    });
    IO.Options options = JavaClientHarness.options(transport);
    // Reconnection allowed and quick: if the client were going to come back, it would within the wait below.
    options.reconnection = true;
    options.reconnectionDelay = 20;
    options.reconnectionDelayMax = 20;
    RecordingJavaClient client = harness.client("/", options).connectAndWait();

    await(connected, "the socket").disconnect(true);

    assertThat(client.next("disconnect").args()).containsExactly("io server disconnect");
    assertThat(await(reasons, "the server-side disconnect")).isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    client.assertNoEventWithin(Duration.ofMillis(300));
    assertThat(client.socket().connected()).isFalse();
    assertThat(server.sockets().sockets()).isEmpty();
    assertThat(connected).as("sockets connected again").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void aServerDisconnectWithoutCloseKeepsTheOtherNamespacesOfTheConnection(JavaClientTransport transport)
      throws Exception {
    BlockingQueue<Socket> chatSockets = new LinkedBlockingQueue<>();
    server.namespace("/chat").onConnection(chatSockets::add);
    server.sockets().onConnection(socket -> socket.on("hello", (args, ack) -> ack.send("hi")));
    Manager manager = harness.manager(transport);
    RecordingJavaClient main = harness.client(manager, "/").connectAndWait();
    RecordingJavaClient chat = harness.client(manager, "/chat").connectAndWait();

    await(chatSockets, "the socket of /chat").disconnect(false);

    assertThat(chat.next("disconnect").args()).containsExactly("io server disconnect");
    assertThat(main.emitAndAwaitAck("hello")).containsExactly("hi");
    assertThat(main.socket().connected()).isTrue();
    assertThat(server.connectionCount()).isEqualTo(1);
  }
}
