package dev.parley.socketio;

import static dev.parley.socketio.JavaClientHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rooms and broadcasts reaching official Java clients. The three clients of each test use the
 * three transport settings, so that one broadcast goes out over polling and WebSocket at once.
 *
 * <p>To show that a client did <em>not</em> get a broadcast, every step ends with a
 * {@code marker} event to all: the server keeps each client's events in the order it sent them,
 * so a client outside the target sees the marker next.
 */
@Timeout(30)
class JavaClientRoomsIT {
  private JavaClientHarness harness;
  private SocketIoServer server;
  private final Map<String, Socket> serverSockets = new ConcurrentHashMap<>();
  private RecordingJavaClient ann;
  private RecordingJavaClient bob;
  private RecordingJavaClient cat;

  @BeforeEach
  void connectThreeClients() throws InterruptedException {
    harness = JavaClientHarness.start();
    server = harness.server();
    server.sockets().onConnection(socket -> {
      serverSockets.put(socket.id(), socket);
      socket.on("join", (args, ack) -> {
        socket.join(args.get(0).textValue());
        ack.send();
      });
      socket.on("leave", (args, ack) -> {
        socket.leave(args.get(0).textValue());
        ack.send();
      });
      socket.on("say to room", (args, ack) -> socket.to(args.get(0).textValue()).emit("said", args.get(1)));
      socket.on("say to all", (args, ack) -> socket.broadcast().emit("said", args.get(0)));
      socket.on("sync", (args, ack) -> ack.send());
    });
    ann = harness.client(JavaClientTransport.POLLING, "/").record("news", "said", "marker").connectAndWait();
    bob = harness.client(JavaClientTransport.WEBSOCKET, "/").record("news", "said", "marker").connectAndWait();
    cat = harness.client(JavaClientTransport.UPGRADE, "/").record("news", "said", "marker").connectAndWait();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    harness.close();
  }

  private void join(RecordingJavaClient client, String room) throws InterruptedException {
    client.emitAndAwaitAck("join", room);
  }

  /** Returns once the server has handled every event {@code client} sent before. */
  private static void sync(RecordingJavaClient client) throws InterruptedException {
    client.emitAndAwaitAck("sync");
  }

  private void marker() {
    server.emit("marker");
  }

  /** The client gets {@code event} with {@code args}, then the marker and nothing else. */
  private static void receivesOnly(RecordingJavaClient client, String event, Object... args) throws InterruptedException {
    assertThat(client.next(event).args()).containsExactly(args);
    client.next("marker");
  }

  private static void receivesNothing(RecordingJavaClient client) throws InterruptedException {
    client.next("marker");
  }

  @Test
  void aRoomBroadcastReachesOnlyItsMembersUntilTheyLeave() throws Exception {
    join(ann, "kitchen");
    join(bob, "kitchen");

    server.to("kitchen").emit("news", "dinner");
    marker();

    receivesOnly(ann, "news", "dinner");
    receivesOnly(bob, "news", "dinner");
    receivesNothing(cat);

    ann.emitAndAwaitAck("leave", "kitchen");
    server.to("kitchen").emit("news", "dessert");
    marker();

    receivesNothing(ann);
    receivesOnly(bob, "news", "dessert");
    receivesNothing(cat);
  }

  @Test
  void aSocketIsInTheRoomOfItsOwnId() throws Exception {
    server.to(bob.id()).emit("news", "just for bob");
    marker();

    receivesNothing(ann);
    receivesOnly(bob, "news", "just for bob");
    receivesNothing(cat);
  }

  @Test
  void socketToRoomLeavesOutTheSender() throws Exception {
    join(ann, "garden");
    join(bob, "garden");
    join(cat, "garden");

    ann.emit("say to room", "garden", "hello garden");
    sync(ann);
    marker();

    receivesNothing(ann);
    receivesOnly(bob, "said", "hello garden");
    receivesOnly(cat, "said", "hello garden");
  }

  @Test
  void broadcastReachesEveryoneButTheSender() throws Exception {
    bob.emit("say to all", "hello all");
    sync(bob);
    marker();

    receivesOnly(ann, "said", "hello all");
    receivesNothing(bob);
    receivesOnly(cat, "said", "hello all");
  }

  @Test
  void exceptLeavesOutTheSocketsOfTheGivenRooms() throws Exception {
    join(ann, "quiet");
    join(bob, "busy");
    join(cat, "busy");

    server.sockets().except("quiet").emit("news", "not for the quiet");
    server.to("busy").except(cat.id()).emit("news", "busy but cat");
    marker();

    receivesNothing(ann);
    assertThat(bob.next("news").args()).containsExactly("not for the quiet");
    receivesOnly(bob, "news", "busy but cat");
    receivesOnly(cat, "news", "not for the quiet");
  }

  @Test
  void aSocketInSeveralTargetedRoomsGetsTheEventOnce() throws Exception {
    join(ann, "red");
    join(ann, "blue");
    join(bob, "blue");

    server.to("red", "blue").emit("news", "purple");
    server.sockets().to("red").to("blue").emit("news", "violet");
    marker();

    assertThat(ann.next("news").args()).containsExactly("purple");
    receivesOnly(ann, "news", "violet");
    assertThat(bob.next("news").args()).containsExactly("purple");
    receivesOnly(bob, "news", "violet");
    receivesNothing(cat);
  }

  @Test
  void volatileEventsReachClientsThatCanTakeThem() throws Exception {
    server.sockets().asVolatile().emit("news", "typing");
    marker();

    receivesOnly(ann, "news", "typing");
    receivesOnly(bob, "news", "typing");
    receivesOnly(cat, "news", "typing");
  }

  @Test
  void fetchSocketsFindsTheMembersOfARoom() throws Exception {
    join(ann, "hall");
    join(cat, "hall");
    serverSockets.get(ann.id()).data().put("name", "Ann");

    List<RemoteSocket> members = await(server.to("hall").fetchSockets(), "fetchSockets");
    List<RemoteSocket> everyone = await(server.sockets().fetchSockets(), "fetchSockets of all");

    assertThat(members).extracting(RemoteSocket::id).containsExactlyInAnyOrder(ann.id(), cat.id());
    RemoteSocket fetchedAnn = members.stream().filter(s -> s.id().equals(ann.id())).findFirst().orElseThrow();
    assertThat(fetchedAnn.rooms()).containsExactlyInAnyOrder(ann.id(), "hall");
    assertThat(fetchedAnn.data()).containsEntry("name", "Ann");
    assertThat(everyone).extracting(RemoteSocket::id).containsExactlyInAnyOrder(ann.id(), bob.id(), cat.id());
  }

  @Test
  void socketsJoinAndSocketsLeaveMoveTheSelectedSockets() throws Exception {
    join(ann, "lobby");
    join(bob, "lobby");

    server.to("lobby").socketsJoin("stage", "backstage");
    assertThat(idsIn("stage")).containsExactlyInAnyOrder(ann.id(), bob.id());
    server.to("stage").emit("news", "on stage");
    marker();

    receivesOnly(ann, "news", "on stage");
    receivesOnly(bob, "news", "on stage");
    receivesNothing(cat);

    server.sockets().in(bob.id()).socketsLeave("stage");
    assertThat(idsIn("stage")).containsExactly(ann.id());
    assertThat(idsIn("backstage")).containsExactlyInAnyOrder(ann.id(), bob.id());
    server.to("stage").emit("news", "still on stage");
    marker();

    receivesOnly(ann, "news", "still on stage");
    receivesNothing(bob);
    receivesNothing(cat);
  }

  @Test
  void remoteSocketsActOnTheLiveSockets() throws Exception {
    RemoteSocket remoteBob = await(server.sockets().in(bob.id()).fetchSockets(), "fetchSockets").get(0);

    remoteBob.join("vip");
    assertThat(idsIn("vip")).containsExactly(bob.id());
    remoteBob.emit("news", "welcome, vip");
    marker();

    receivesNothing(ann);
    receivesOnly(bob, "news", "welcome, vip");
    receivesNothing(cat);
  }

  @Test
  void disconnectSocketsDisconnectsOnlyTheSelectedSockets() throws Exception {
    join(ann, "doomed");
    join(cat, "doomed");
    BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
    serverSockets.values().forEach(socket -> socket.onDisconnect(reasons::add));

    server.to("doomed").disconnectSockets(false);

    assertThat(ann.next("disconnect").args()).containsExactly("io server disconnect");
    assertThat(cat.next("disconnect").args()).containsExactly("io server disconnect");
    assertThat(List.of(await(reasons, "a disconnect"), await(reasons, "another disconnect")))
        .containsOnly(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    marker();
    receivesNothing(bob);
    assertThat(server.sockets().sockets()).containsOnlyKeys(bob.id());
  }

  private List<String> idsIn(String room) throws Exception {
    List<String> ids = new ArrayList<>();
    await(server.to(room).fetchSockets(), "fetchSockets of " + room).forEach(s -> ids.add(s.id()));
    return ids;
  }
}
