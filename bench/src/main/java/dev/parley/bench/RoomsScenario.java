package dev.parley.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 3: many rooms of four; random members send to one of their rooms, ramped until p99
 * delivery latency passes 50 ms. The figure is the most deliveries per second within the bound
 * (each message is delivered to the four members, the sender included, as {@code io.to(room)}
 * does).
 *
 * <p>5,000 rooms of 4 are 20,000 memberships, but a server process may hold only 20,000 open
 * files here: so each client is in two rooms (10,000 clients), and no two members of a room
 * share their other room. Rooms never span generator processes, so each process knows the
 * deliveries it is owed.
 */
final class RoomsScenario implements Scenario {
  private static final int ROOM_SIZE = 4;
  private static final int TEXT_BYTES = 100;
  private static final int MAX_IN_FLIGHT = 200;
  private static final long BOUND_MICROS = 50_000;
  private static final double FIRST_DELIVERIES_PER_SECOND = 4_000;

  private final BenchContext ctx;
  private final int clients;
  private final Schedule schedule;

  RoomsScenario(BenchContext ctx) {
    this.ctx = ctx;
    GeneratorOptions o = ctx.options();
    int requested = (int) o.size("clients", o.quick() ? 2_000 : 10_000);
    this.clients = requested - requested % (ROOM_SIZE * 2);
    if (clients <= 0) {
      throw new IllegalArgumentException("rooms needs at least 8 clients");
    }
    double stepSeconds = o.size("step-seconds", o.quick() ? 1 : 2);
    this.schedule = new Schedule(0, (long) ((o.quick() ? 3 : 5) * 1e6), (long) (stepSeconds * 1e6),
        FIRST_DELIVERIES_PER_SECOND / ROOM_SIZE, 1.25, 40);
  }

  @Override
  public String name() {
    return "rooms";
  }

  @Override
  public int totalClients() {
    return clients;
  }

  @Override
  public Part part(Share share) {
    return new RoomsPart(share);
  }

  @Override
  public ScenarioResult run() throws Exception {
    double cpuStart = ctx.serverCpuSeconds();
    double generatorStart = ProcessStats.selfCpuSeconds();
    try (Team team = Team.start(this, ctx.options(), ctx.mapper())) {
      team.prepare();
      ctx.log(String.format("%,d clients in %,d rooms of %d, ramping from %.0f msg/s", clients,
          clients / ROOM_SIZE * 2, ROOM_SIZE, schedule.firstRate()));
      RampRunner.Outcome outcome = new RampRunner(ctx, schedule, BOUND_MICROS, sent -> sent * ROOM_SIZE)
          .run(team, (RampPart) team.local());
      return RampResults.of(ctx, name(), String.format("%,d rooms of %d (%,d clients in 2 rooms each), random senders",
          clients / ROOM_SIZE * 2, ROOM_SIZE, clients), outcome, schedule, cpuStart, generatorStart,
          team.processes(), clients);
    }
  }

  /** This share's clients and rooms; rooms are named after the share so they stay local. */
  private final class RoomsPart implements RampPart {
    private final Share share;
    private final int size;
    private final StepLatencies latencies;
    private final LatencyListener listener;
    private final ClientPool pool;
    private final String text = Payloads.text(TEXT_BYTES);
    /** The clients, set by prepare. */
    private volatile List<BenchClient> members = List.of();
    /** Quoted names of each client's two rooms, by local index. */
    private final String[][] rooms;
    /** Null until started. */
    private volatile Pacer pacer;

    RoomsPart(Share share) {
      this.share = share;
      int n = share.size(clients);
      this.size = n - n % ROOM_SIZE;
      this.latencies = new StepLatencies(schedule.maxSteps());
      this.listener = new LatencyListener("message", latencies, ctx.clock());
      this.pool = ctx.newPool(listener);
      this.rooms = new String[size][];
      int groups = size / ROOM_SIZE;
      for (int j = 0; j < size; j++) {
        // Room A groups consecutive clients, room B clients `groups` apart: never the same four.
        rooms[j] = new String[] {
            Json.quote("p" + share.index() + "-a" + j / ROOM_SIZE),
            Json.quote("p" + share.index() + "-b" + j % groups)};
      }
    }

    @Override
    public void prepare() throws Exception {
      members = pool.connect(size, MAX_IN_FLIGHT, c -> CompletableFuture.allOf(
          c.emitWithAck("join", "{\"room\":" + rooms[c.index()][0] + "}"),
          c.emitWithAck("join", "{\"room\":" + rooms[c.index()][1] + "}"))).get(10, TimeUnit.MINUTES);
    }

    @Override
    public void start(long startMicros) {
      List<BenchClient> all = members;
      double rateShare = (double) size / clients;
      pacer = new Pacer(pool.group().next(), ctx.clock(), schedule.startingAt(startMicros), rateShare,
          (step, count, micros) -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < count; i++) {
              int j = random.nextInt(all.size());
              String room = rooms[j][random.nextInt(2)];
              all.get(j).emit("message", Payloads.message(micros, step, room, text));
            }
          });
      pacer.start();
    }

    @Override
    public void stopAfter(int step) {
      Pacer p = pacer;
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
      Pacer p = pacer;
      return p == null ? 0 : p.sent(step);
    }

    @Override
    public long expectedDeliveries(int step) {
      return sent(step) * ROOM_SIZE;
    }

    @Override
    public PartReport report(int lastStep) {
      Pacer p = pacer;
      if (p != null) {
        p.stop();
      }
      return rampReport(lastStep, size, listener.closed());
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}
