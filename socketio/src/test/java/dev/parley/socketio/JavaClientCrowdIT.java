package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many official Java clients talking in one room at once. */
@Timeout(60)
class JavaClientCrowdIT {
  private static final int CLIENTS = 50;
  private static final int MESSAGES_EACH = 20;
  private static final String ROOM = "crowd";

  private JavaClientHarness harness;

  @BeforeEach
  void startServer() throws InterruptedException {
    harness = JavaClientHarness.start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    harness.close();
  }

  @Test
  void everyClientGetsEveryMessageOnceInTheOrderEachSenderSentThem() throws Exception {
    SocketIoServer server = harness.server();
    server.sockets().onConnection(socket -> {
      socket.join(ROOM);
      socket.on("chat", (args, ack) -> server.to(ROOM).emit("chat", args.get(0), args.get(1)));
    });
    CountDownLatch allDelivered = new CountDownLatch(CLIENTS * CLIENTS * MESSAGES_EACH);
    CountDownLatch allDone = new CountDownLatch(CLIENTS);
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    Map<Integer, Integer> receivedBeforeDone = new ConcurrentHashMap<>();

    List<RecordingJavaClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      JavaClientTransport transport = JavaClientTransport.values()[i % JavaClientTransport.values().length];
      RecordingJavaClient client = harness.client(transport, "/");
      int receiver = i;
      // Next sequence number expected from each sender. Only touched by the clients' event thread.
      int[] expected = new int[CLIENTS];
      int[] received = new int[1];
      client.socket().on("chat", args -> {
        int sender = (Integer) args[0];
        int seq = (Integer) args[1];
        if (seq != expected[sender]) {
          problems.add("client " + receiver + " got message " + seq + " of sender " + sender
              + " when expecting " + expected[sender]);
        }
        expected[sender] = seq + 1;
        received[0]++;
        allDelivered.countDown();
      });
      client.socket().on("done", args -> {
        receivedBeforeDone.put(receiver, received[0]);
        allDone.countDown();
      });
      clients.add(client.connect());
    }
    for (RecordingJavaClient client : clients) {
      client.next("connect");
    }

    for (int seq = 0; seq < MESSAGES_EACH; seq++) {
      for (int sender = 0; sender < CLIENTS; sender++) {
        clients.get(sender).emit("chat", sender, seq);
      }
    }
    awaitLatch(allDelivered, "every message to reach every client");
    server.to(ROOM).emit("done");
    awaitLatch(allDone, "the final event to reach every client");

    assertThat(problems).isEmpty();
    assertThat(receivedBeforeDone).hasSize(CLIENTS).allSatisfy((receiver, count) ->
        assertThat(count).as("messages received by client %d", receiver).isEqualTo(CLIENTS * MESSAGES_EACH));
  }

  /** A longer bound than the usual one: 50,000 deliveries go through the clients' single event thread. */
  private static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(30, TimeUnit.SECONDS)) {
      fail("Timed out waiting for " + what + " (" + latch.getCount() + " still missing)");
    }
  }
}
