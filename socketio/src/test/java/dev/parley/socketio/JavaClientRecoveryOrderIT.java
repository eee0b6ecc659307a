package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With connection-state recovery on, every event carries an offset, and a client that comes back
 * presents the last one it received: the server replays what comes after it. That is only right
 * if each client receives events in offset order. Here events are broadcast at once from two
 * application threads and from the sockets' own event loops, to clients spread over both loops,
 * and every client must see strictly increasing offsets.
 */
@Timeout(60)
class JavaClientRecoveryOrderIT {
  private static final int PER_THREAD = 1500;
  private static final int PER_BURST = 500;

  private JavaClientHarness harness;
  private SocketIoServer server;

  @BeforeEach
  void start() throws InterruptedException {
    harness = JavaClientHarness.start(o -> o.ioThreads(2).recovery(ServerOptions.RecoveryOptions.inMemory(Duration.ofMinutes(2))));
    server = harness.server();
    server.sockets().onConnection(socket -> {
      socket.join("room");
      // From the socket's own loop, as an event handler broadcasts.
      socket.on("burst", (args, ack) -> {
        for (int i = 0; i < PER_BURST; i++) {
          server.to("room").emit("e", "loop");
        }
      });
      socket.on("sync", (args, ack) -> ack.send());
    });
  }

  @AfterEach
  void stop() throws InterruptedException {
    harness.close();
  }

  @Test
  void everyClientReceivesRecordedEventsInOffsetOrderWhicheverThreadSendsThem() throws Exception {
    List<RecordingJavaClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RecordingJavaClient client = harness.client(JavaClientTransport.WEBSOCKET, "/").record("e").connectAndWait();
      client.emitAndAwaitAck("sync");
      clients.add(client);
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread sender = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < PER_THREAD; i++) {
          server.to("room").emit("e", "thread");
        }
      }, "sender-" + t);
      sender.start();
      senders.add(sender);
    }
    go.countDown();
    clients.get(0).socket().emit("burst");
    clients.get(1).socket().emit("burst");
    for (Thread sender : senders) {
      sender.join(TimeUnit.SECONDS.toMillis(20));
    }

    int total = 2 * PER_THREAD + 2 * PER_BURST;
    for (RecordingJavaClient client : clients) {
      long last = -1;
      for (int i = 0; i < total; i++) {
        List<Object> args = client.next("e").args();
        String offset = (String) args.get(args.size() - 1);
        long counter = Long.parseLong(offset.substring(offset.lastIndexOf('-') + 1), 36);
        assertThat(counter).as("offset of event %d of client %s after %d", i, client.socket().id(), last)
            .isGreaterThan(last);
        last = counter;
      }
    }
  }
}
