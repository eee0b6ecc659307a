package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 5: durable sends. Many clients of the chat namespace, in rooms of a few members, send
 * {@code message:send} with a client message id and their send time in the text; the server
 * acknowledges each only once it is committed. The offered rate is ramped until the p99 of the
 * time from send to acknowledgement passes 20 ms; the figure is the most acknowledged messages
 * per second within it (acks of the step's sends that said {@code ok}, not sends).
 *
 * <p>Each committed message is also delivered to every member of its room, the sender
 * included. Rooms of four keep that fan-out small, so that the figure is the store's rather than
 * the broadcast's (scenario 2 measures that); a room's seqs are still contended by its four
 * senders. Rooms never span generator processes.
 */
final class DurableScenario implements Scenario {
  private static final int TEXT_BYTES = 100;
  private static final int MAX_IN_FLIGHT = 100;
  private static final long BOUND_MICROS = 20_000;
  private static final double FIRST_RATE = 250;
  private static final byte[] OK = "\"ok\":true".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CODE = PayloadScanner.key("code");

  private final BenchContext ctx;
  private final String name;
  private final int clients;
  private final int roomSize;
  private final Schedule schedule;

  /** @param name {@code durable} (SQLite) or {@code durable-pg} (PostgreSQL): the server decides */
  DurableScenario(BenchContext ctx, String name) {
    this.ctx = ctx;
    this.name = name;
    GeneratorOptions o = ctx.options();
    this.clients = (int) o.size("clients", o.quick() ? 100 : 200);
    int rooms = (int) o.size("rooms", Math.max(1, clients / 4));
    if (clients <= 0 || rooms <= 0 || rooms > clients) {
      throw new IllegalArgumentException("durable needs at least one client per room: " + clients + " clients, "
          + rooms + " rooms");
    }
    this.roomSize = clients / rooms;
    double stepSeconds = o.size("step-seconds", o.quick() ? 1 : 2);
    this.schedule = new Schedule(0, (long) ((o.quick() ? 2 : 3) * 1e6), (long) (stepSeconds * 1e6), FIRST_RATE,
        o.quick() ? 1.5 : 1.25, 40);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int totalClients() {
    return clients;
  }

  @Override
  public Part part(Share share) {
    return new DurablePart(share);
  }

  @Override
  public ScenarioResult run() throws Exception {
    double cpuStart = ctx.serverCpuSeconds();
    double generatorStart = ProcessStats.selfCpuSeconds();
    try (Team team = Team.start(this, ctx.options(), ctx.mapper())) {
      team.prepare();
      ctx.log(String.format("%,d senders in rooms of %d, ramping from %.0f msg/s ×%.2f per %.0f s step, "
          + "p99 ack ≤ %d ms", clients, roomSize, schedule.firstRate(), schedule.factor(), schedule.stepSeconds(),
          BOUND_MICROS / 1000));
      DurablePart local = (DurablePart) team.local();
      RampRunner.Outcome outcome = new RampRunner(ctx, schedule, BOUND_MICROS, sent -> sent).run(team, local);
      Map<String, Long> errors = new TreeMap<>();
      for (PartReport report : outcome.reports()) {
        report.counts().forEach((code, n) -> errors.merge(code, n, Long::sum));
      }
      ScenarioResult result = RampResults.of(ctx, name, String.format("%,d senders in rooms of %d, %d B text",
          clients, roomSize, TEXT_BYTES), outcome, schedule, cpuStart, generatorStart, team.processes(), clients,
          "acknowledged messages per second with p99 ack ≤ 20 ms", "acks");
      return errors.isEmpty() ? result : result.withDetail("; error acks " + errors);
    }
  }

  /** This share's senders, in rooms of their own. */
  private final class DurablePart implements RampPart {
    private final Share share;
    private final int size;
    private final StepLatencies latencies = new StepLatencies(schedule.maxSteps());
    private final SentTimes[] sentTimes;
    /** Messages sent per client, for the client message ids. Each slot owned by its client's loop. */
    private final long[] sendCounts;
    /** Error acks by code. */
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder closed = new LongAdder();
    private final ClientPool pool;
    /** Quoted room id of each client, by local index; set by prepare. */
    private String[] roomOf;
    /** This share's clients, once prepared. */
    private volatile List<BenchClient> senders = List.of();
    /** Null until started. */
    private volatile LoopPacers pacers;

    DurablePart(Share share) {
      this.share = share;
      this.size = share.size(clients);
      this.sentTimes = new SentTimes[size];
      for (int i = 0; i < size; i++) {
        sentTimes[i] = new SentTimes(4096);
      }
      this.sendCounts = new long[size];
      this.pool = ctx.newPool(new ClientListener() {
        @Override
        public void onAck(BenchClient client, long id, ByteBuf frame) {
          acknowledged(client, id, frame);
        }

        @Override
        public void onClosed(BenchClient client) {
          closed.increment();
        }
      }, ChatRequests.sessions("d" + share.index() + "-", false));
    }

    private void acknowledged(BenchClient client, long id, ByteBuf frame) {
      SentTimes times = sentTimes[client.index()];
      if (!times.take(id)) {
        return;
      }
      if (PayloadScanner.contains(frame, OK)) {
        latencies.record(times.takenStep(), ctx.clock().micros() - times.takenMicros());
      } else {
        String code = PayloadScanner.stringField(frame, CODE);
        errors.computeIfAbsent(code == null ? "unreadable" : code, k -> new LongAdder()).increment();
      }
    }

    @Override
    public void prepare() throws Exception {
      List<BenchClient> all = pool.connect(size, MAX_IN_FLIGHT, BenchClient::connected).get(5, TimeUnit.MINUTES);
      roomOf = new String[size];
      int rooms = Math.max(1, size / roomSize);
      List<CompletableFuture<?>> joins = new ArrayList<>();
      for (int k = 0; k < rooms; k++) {
        int first = k * roomSize;
        int end = k == rooms - 1 ? size : first + roomSize;
        ChatRequests.ChatRoom room = ChatRequests.create(all.get(first),
            "durable-" + share.index() + "-" + k, ctx.mapper()).get(1, TimeUnit.MINUTES);
        for (int j = first; j < end; j++) {
          roomOf[j] = Json.quote(room.id());
          if (j > first) {
            joins.add(ChatRequests.joinById(all.get(j), room.id(), ctx.mapper()));
          }
        }
      }
      CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
      senders = all;
    }

    @Override
    public void start(long startMicros) {
      pacers = new LoopPacers(senders, clients, ctx.clock(), schedule.startingAt(startMicros),
          (client, step, micros) -> {
            int i = client.index();
            long ackId = client.takeAckId();
            sentTimes[i].sent(ackId, step, micros);
            String clientMsgId = Json.quote(i + "-" + sendCounts[i]++);
            return Packets.eventWithAck(ChatRequests.NAMESPACE, ackId, "message:send",
                Payloads.chatSend(roomOf[i], Payloads.chatText(micros, step, TEXT_BYTES), clientMsgId));
          });
      pacers.start();
    }

    @Override
    public void stopAfter(int step) {
      LoopPacers p = pacers;
      if (p != null) {
        p.stopAfter(step);
      }
    }

    @Override
    public StepLatencies latencies() {
      return latencies;
    }

    @Override
    public long sent(int step) {
      LoopPacers p = pacers;
      return p == null ? 0 : p.sent(step);
    }

    @Override
    public long expectedDeliveries(int step) {
      return sent(step);
    }

    @Override
    public PartReport report(int lastStep) {
      LoopPacers p = pacers;
      if (p != null) {
        p.stop();
      }
      PartReport ramp = rampReport(lastStep, size, closed.intValue());
      Map<String, Long> counts = new TreeMap<>();
      errors.forEach((code, n) -> counts.put(code, n.sum()));
      return new PartReport(ramp.cpuSeconds(), ramp.clients(), ramp.disconnects(), ramp.steps(), counts);
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}
