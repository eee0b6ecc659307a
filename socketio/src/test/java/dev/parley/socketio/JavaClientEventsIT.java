package dev.parley.socketio;

import static dev.parley.socketio.JavaClientHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Events, acknowledgements and binary attachments between the server and the official Java
 * client, in both directions, over each transport.
 */
@Timeout(30)
class JavaClientEventsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JavaClientHarness harness;
  private final BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();

  @BeforeEach
  void startServer() throws InterruptedException {
    harness = JavaClientHarness.start();
    harness.server().sockets().onConnection(connected::add);
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    harness.close();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void clientEventsArriveWithTheirArgumentTypes(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.connected(transport, "/");
    Socket socket = await(connected, "the socket");
    BlockingQueue<Args> received = new LinkedBlockingQueue<>();
    socket.on("types", (args, ack) -> received.add(args));
    BlockingQueue<String> seenByAny = new LinkedBlockingQueue<>();
    socket.onAny((event, args) -> seenByAny.add(event));
    JSONObject object = new JSONObject("{\"a\":1,\"nested\":{\"list\":[1,\"two\",null],\"flag\":false}}");

    client.emit("types", "héllo ✓ 😀", 42, 3.5, true, JSONObject.NULL, object, new JSONArray("[1,\"two\"]"),
        Long.MAX_VALUE);
    Args args = await(received, "the 'types' event");

    assertThat(args.size()).isEqualTo(8);
    assertThat(args.text(0)).contains("héllo ✓ 😀");
    assertThat(args.get(1).isIntegralNumber()).isTrue();
    assertThat(args.get(1).intValue()).isEqualTo(42);
    assertThat(args.get(2).doubleValue()).isEqualTo(3.5);
    assertThat(args.get(3).booleanValue()).isTrue();
    assertThat(args.get(4).isNull()).isTrue();
    assertThat(args.get(5)).isEqualTo(JSON.readTree("{\"a\":1,\"nested\":{\"list\":[1,\"two\",null],\"flag\":false}}"));
    assertThat(args.get(6)).isEqualTo(JSON.readTree("[1,\"two\"]"));
    assertThat(args.get(7).longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(await(seenByAny, "onAny")).isEqualTo("types");
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void serverEventsArriveWithTheirArgumentTypes(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.client(transport, "/").record("types", "empty").connectAndWait();
    Socket socket = await(connected, "the socket");
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("a", 1);
    object.put("nested", Map.of("list", Arrays.asList(1, "two", null)));

    socket.emit("types", "héllo ✓ 😀", 42, 3.5, true, null, object, List.of(1, "two"), Long.MAX_VALUE);
    socket.emit("empty");
    List<Object> args = client.next("types").args();

    assertThat(args).hasSize(8);
    assertThat(args.subList(0, 5)).containsExactly("héllo ✓ 😀", 42, 3.5, true, null);
    assertThat(JSON.readTree(args.get(5).toString())).isEqualTo(JSON.readTree("{\"a\":1,\"nested\":{\"list\":[1,\"two\",null]}}"));
    assertThat(JSON.readTree(args.get(6).toString())).isEqualTo(JSON.readTree("[1,\"two\"]"));
    assertThat(args.get(7)).isEqualTo(Long.MAX_VALUE);
    assertThat(client.next("empty").args()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void theServerAcknowledgesClientEvents(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.connected(transport, "/");
    Socket socket = await(connected, "the socket");
    BlockingQueue<Boolean> requested = new LinkedBlockingQueue<>();
    socket.on("sum", (args, ack) -> {
      requested.add(ack.requested());
      ack.send(args.get(0).intValue() + args.get(1).intValue(), "ok", Map.of("ops", 1));
      ack.send("a second answer is ignored");
    });

    List<Object> answer = client.emitAndAwaitAck("sum", 2, 3);
    client.emit("sum", 4, 5);

    assertThat(answer.subList(0, 2)).containsExactly(5, "ok");
    assertThat(JSON.readTree(answer.get(2).toString())).isEqualTo(JSON.readTree("{\"ops\":1}"));
    assertThat(answer).hasSize(3);
    assertThat(await(requested, "the first 'sum'")).isTrue();
    assertThat(await(requested, "the second 'sum'")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void theClientAcknowledgesServerEvents(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.client(transport, "/").record("question").connectAndWait();
    Socket socket = await(connected, "the socket");

    CompletableFuture<Args> answer = socket.emitWithAck(Duration.ofSeconds(5), "question", "6 x 7?");
    RecordingJavaClient.Event question = client.next("question");
    assertThat(question.arg(0)).isEqualTo("6 x 7?");
    ((io.socket.client.Ack) question.arg(1)).call(42, "forty-two");
    Args args = await(answer, "the client's acknowledgement");

    assertThat(args.get(0).intValue()).isEqualTo(42);
    assertThat(args.text(1)).contains("forty-two");
    assertThat(args.size()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void acknowledgementsAnsweredOutOfOrderReachTheirOwnCallers(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.client(transport, "/").record("question").connectAndWait();
    Socket socket = await(connected, "the socket");
    BlockingQueue<Ack> pendingOnServer = new LinkedBlockingQueue<>();
    BlockingQueue<String> answeredOnClient = new LinkedBlockingQueue<>();
    socket.on("later", (args, ack) -> pendingOnServer.add(ack));

    for (String label : List.of("a", "b", "c")) {
      client.socket().emit("later", new Object[] {label}, ackArgs -> answeredOnClient.add(label + "=" + ackArgs[0]));
    }
    List<Ack> serverAcks = List.of(await(pendingOnServer, "a"), await(pendingOnServer, "b"), await(pendingOnServer, "c"));
    serverAcks.get(2).send("C");
    serverAcks.get(0).send("A");
    serverAcks.get(1).send("B");

    List<CompletableFuture<Args>> answers = List.of(
        socket.emitWithAck(Duration.ofSeconds(5), "question", 1),
        socket.emitWithAck(Duration.ofSeconds(5), "question", 2));
    io.socket.client.Ack first = (io.socket.client.Ack) client.next("question").arg(1);
    io.socket.client.Ack second = (io.socket.client.Ack) client.next("question").arg(1);
    second.call("two");
    first.call("one");

    assertThat(List.of(await(answeredOnClient, "an answer"), await(answeredOnClient, "an answer"),
        await(answeredOnClient, "an answer"))).containsExactly("c=C", "a=A", "b=B");
    assertThat(await(answers.get(0), "the first answer").text(0)).contains("one");
    assertThat(await(answers.get(1), "the second answer").text(0)).contains("two");
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void largeMessagesCrossInBothDirections(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.client(transport, "/").record("big").connectAndWait();
    Socket socket = await(connected, "the socket");
    socket.on("big", (args, ack) -> socket.emit("big", args.get(0)));
    String text = "0123456789abcdef€".repeat(20_000);

    client.emit("big", text);

    assertThat(client.next("big").arg(0)).isEqualTo(text);
  }

  @Test
  void emitWithAckTimesOutWhenTheClientNeverAnswers() throws Exception {
    RecordingJavaClient client = harness.client(JavaClientTransport.WEBSOCKET, "/").record("question").connectAndWait();
    Socket socket = await(connected, "the socket");

    CompletableFuture<Args> answer = socket.emitWithAck(Duration.ofMillis(200), "question", "anyone?");
    client.next("question");

    assertThatThrownBy(() -> await(answer, "the acknowledgement to time out"))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(socket.connected()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void binaryFromTheClientArrivesAndComesBack(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.client(transport, "/").record("echo").connectAndWait();
    Socket socket = await(connected, "the socket");
    BlockingQueue<Args> uploads = new LinkedBlockingQueue<>();
    socket.on("upload", (args, ack) -> {
      uploads.add(args);
      socket.emit("echo", args.list().toArray());
      ack.send(args.get(0), "stored");
    });
    byte[] small = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    byte[] large = randomBytes(64 * 1024);
    JSONObject file = new JSONObject();
    file.put("name", "photo.jpg");
    file.put("content", large);
    file.put("parts", new JSONArray().put(new byte[] {7}).put("text"));

    List<Object> ack = client.emitAndAwaitAck("upload", small, file);
    Args upload = await(uploads, "the upload");
    List<Object> echo = client.next("echo").args();

    assertThat(upload.bytes(0)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(small));
    assertThat(upload.get(1).path("name").textValue()).isEqualTo("photo.jpg");
    assertThat(upload.get(1).path("content").binaryValue()).isEqualTo(large);
    assertThat(upload.get(1).path("parts").get(0).binaryValue()).containsExactly(7);
    assertThat(upload.get(1).path("parts").get(1).textValue()).isEqualTo("text");

    assertThat(echo).hasSize(2);
    assertThat((byte[]) echo.get(0)).isEqualTo(small);
    JSONObject echoedFile = (JSONObject) echo.get(1);
    assertThat(echoedFile.getString("name")).isEqualTo("photo.jpg");
    assertThat((byte[]) echoedFile.get("content")).isEqualTo(large);
    assertThat((byte[]) echoedFile.getJSONArray("parts").get(0)).containsExactly(7);

    assertThat(ack).hasSize(2);
    assertThat((byte[]) ack.get(0)).isEqualTo(small);
    assertThat(ack.get(1)).isEqualTo("stored");
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void binaryFromTheServerArrivesAsByteArrays(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.client(transport, "/").record("files", "question").connectAndWait();
    Socket socket = await(connected, "the socket");
    byte[] first = randomBytes(1000);
    byte[] second = {42};

    socket.emit("files", first, Map.of("inner", ByteBuffer.wrap(second), "label", "b"));
    List<Object> files = client.next("files").args();
    CompletableFuture<Args> answer = socket.emitWithAck(Duration.ofSeconds(5), "question", "send bytes");
    RecordingJavaClient.Event question = client.next("question");
    ((io.socket.client.Ack) question.arg(1)).call(new byte[] {9, 8, 7}, new JSONObject().put("more", new byte[] {6}));
    Args args = await(answer, "the binary acknowledgement");

    assertThat((byte[]) files.get(0)).isEqualTo(first);
    JSONObject object = (JSONObject) files.get(1);
    assertThat((byte[]) object.get("inner")).isEqualTo(second);
    assertThat(object.getString("label")).isEqualTo("b");
    assertThat(args.bytes(0)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(9, 8, 7));
    assertThat(args.get(1).path("more").binaryValue()).containsExactly(6);
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void eventsFromTheServerArriveInTheOrderSent(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.client(transport, "/").record("n").connectAndWait();
    Socket socket = await(connected, "the socket");
    int count = 200;

    for (int i = 0; i < count; i++) {
      // Binary ones among them: their attachments must not interleave with the other packets.
      socket.emit("n", i, i % 10 == 0 ? new byte[] {(byte) i} : "text");
    }

    for (int i = 0; i < count; i++) {
      List<Object> args = client.next("n").args();
      assertThat(args.get(0)).isEqualTo(i);
      if (i % 10 == 0) {
        assertThat((byte[]) args.get(1)).containsExactly((byte) i);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(JavaClientTransport.class)
  void eventsFromTheClientArriveInTheOrderSent(JavaClientTransport transport) throws Exception {
    RecordingJavaClient client = harness.connected(transport, "/");
    Socket socket = await(connected, "the socket");
    BlockingQueue<Args> received = new LinkedBlockingQueue<>();
    socket.on("n", (args, ack) -> received.add(args));
    int count = 200;

    // Sent at once after connecting: with the upgrade, some go before the switch and some after.
    for (int i = 0; i < count; i++) {
      client.emit("n", i, i % 10 == 0 ? new byte[] {(byte) i} : "text");
    }

    for (int i = 0; i < count; i++) {
      Args args = await(received, "event " + i);
      assertThat(args.get(0).intValue()).isEqualTo(i);
      if (i % 10 == 0) {
        byte expected = (byte) i;
        assertThat(args.bytes(1)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(expected));
      }
    }
  }

  @Test
  void emitWithAckFailsWhenTheClientLeavesWithoutAnswering() throws Exception {
    RecordingJavaClient client = harness.client(JavaClientTransport.WEBSOCKET, "/").record("question").connectAndWait();
    Socket socket = await(connected, "the socket");

    CompletableFuture<Args> answer = socket.emitWithAck(Duration.ofSeconds(5), "question", "still there?");
    client.next("question");
    client.close();

    assertThatThrownBy(() -> await(answer, "the acknowledgement to fail"))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SocketIoException.class);
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
