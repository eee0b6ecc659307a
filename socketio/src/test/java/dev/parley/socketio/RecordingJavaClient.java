package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.engineio.client.Transport;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An official Java Socket.IO client whose events are recorded, in the order they arrive, into a
 * queue that the test reads with bounded waits. {@code connect}, {@code connect_error} and
 * {@code disconnect} are always recorded; other events only once named in {@link #record}.
 *
 * <p>The client calls its listeners on its single event thread; listeners here only enqueue.
 */
final class RecordingJavaClient {
  static final Duration WAIT = Duration.ofSeconds(5);

  /** One event as the client's listener saw it; an event sent with an ack ends with an {@link io.socket.client.Ack}. */
  record Event(String name, List<Object> args) {
    Object arg(int index) {
      assertThat(args).as("arguments of '%s'", name).hasSizeGreaterThan(index);
      return args.get(index);
    }
  }

  private final Socket socket;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  /** Names of the transports the engine upgraded to. */
  private final BlockingQueue<String> upgrades = new LinkedBlockingQueue<>();
  /** One entry per ping the engine received from the server. */
  private final BlockingQueue<Long> pings = new LinkedBlockingQueue<>();

  RecordingJavaClient(Socket socket) {
    this.socket = socket;
    record(Socket.EVENT_CONNECT, Socket.EVENT_CONNECT_ERROR, Socket.EVENT_DISCONNECT);
    watchEngine();
  }

  /** The underlying client socket. */
  Socket socket() {
    return socket;
  }

  /** The id the server gave this client's socket; null until connected. */
  String id() {
    return socket.id();
  }

  /** Records these events from now on. */
  RecordingJavaClient record(String... names) {
    for (String name : names) {
      socket.on(name, args -> events.add(new Event(name, Collections.unmodifiableList(new ArrayList<>(Arrays.asList(args))))));
    }
    return this;
  }

  /** Starts connecting; returns at once. */
  RecordingJavaClient connect() {
    socket.connect();
    return this;
  }

  /** Connects and waits until the server has admitted the socket. */
  RecordingJavaClient connectAndWait() throws InterruptedException {
    connect();
    next(Socket.EVENT_CONNECT);
    return this;
  }

  /** Sends an event (a trailing {@link io.socket.client.Ack} asks for an acknowledgement). */
  void emit(String event, Object... args) {
    socket.emit(event, args);
  }

  /** Sends an event with an acknowledgement and waits for the server's answer. */
  List<Object> emitAndAwaitAck(String event, Object... args) throws InterruptedException {
    BlockingQueue<List<Object>> answers = new LinkedBlockingQueue<>();
    socket.emit(event, args, ackArgs -> answers.add(Collections.unmodifiableList(new ArrayList<>(Arrays.asList(ackArgs)))));
    return JavaClientHarness.await(answers, "the acknowledgement of '" + event + "'");
  }

  /** The next recorded event, which must be {@code name}. */
  Event next(String name) throws InterruptedException {
    return next(name, WAIT);
  }

  /** The next recorded event, which must be {@code name}, waiting up to {@code wait}. */
  Event next(String name, Duration wait) throws InterruptedException {
    Event event = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null) {
      fail("Timed out waiting for event '" + name + "' on client " + socket.id());
    }
    assertThat(event.name()).as("next event of client %s (arguments %s)", socket.id(), event.args()).isEqualTo(name);
    return event;
  }

  /** Checks that nothing more is recorded within {@code quiet}. */
  void assertNoEventWithin(Duration quiet) throws InterruptedException {
    Event event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("unexpected event on client %s", socket.id()).isNull();
  }

  /** Waits until the engine has upgraded its transport and returns the new transport's name. */
  String awaitUpgrade() throws InterruptedException {
    String name = upgrades.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (name == null) {
      fail("Timed out waiting for the transport upgrade of client " + socket.id());
    }
    return name;
  }

  /** Waits for the next ping from the server. */
  void awaitPing() throws InterruptedException {
    JavaClientHarness.await(pings, "a ping from the server to client " + socket.id());
  }

  /** Disconnects; returns at once. */
  void close() {
    socket.close();
  }

  /**
   * The Socket.IO client does not pass the engine's {@code upgrade} and {@code ping} events on,
   * and keeps its engine in a package-private field. The engine exists once the manager opens,
   * which happens on the client's event thread before the first ping and before any upgrade probe
   * starts, so none can be missed.
   */
  private void watchEngine() {
    Manager manager = socket.io();
    manager.on(Manager.EVENT_OPEN, args -> engine(manager)
        .on(io.socket.engineio.client.Socket.EVENT_UPGRADE, upgradeArgs -> upgrades.add(((Transport) upgradeArgs[0]).name))
        .on(io.socket.engineio.client.Socket.EVENT_PING, pingArgs -> pings.add(System.nanoTime())));
  }

  private static io.socket.engineio.client.Socket engine(Manager manager) {
    try {
      Field field = Manager.class.getDeclaredField("engine");
      field.setAccessible(true);
      return (io.socket.engineio.client.Socket) field.get(manager);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reach the Engine.IO socket of the Java client", e);
    }
  }
}
