package dev.parley.bench;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 2: one room of {@code members} receivers; one sender (not a member) sends
 * {@code message} events of 100 bytes of text at a rate ramped step by step until the p99
 * delivery latency passes the bound. The figure is the most deliveries per second within it.
 */
final class FanoutScenario implements Scenario {
  private static final String ROOM = "fanout";
  private static final int TEXT_BYTES = 100;
  private static final int MAX_IN_FLIGHT = 200;
  private static final double FIRST_DELIVERIES_PER_SECOND = 20_000;

  private final BenchContext ctx;
  private final String name;
  private final int members;
  private final long boundMicros;
  private final Schedule schedule;

  /**
   * @param name {@code fanout} (1,000 members, 50 ms) or {@code fanout10k} (10,000, 250 ms)
   */
  FanoutScenario(BenchContext ctx, String name, int defaultMembers, int quickMembers, long boundMillis) {
    this.ctx = ctx;
    this.name = name;
    GeneratorOptions o = ctx.options();
    this.members = (int) o.size("members", o.quick() ? quickMembers : defaultMembers);
    this.boundMicros = boundMillis * 1000;
    double stepSeconds = o.size("step-seconds", o.quick() ? 1 : 2);
    this.schedule = new Schedule(0, (long) ((o.quick() ? 3 : 5) * 1e6), (long) (stepSeconds * 1e6),
        FIRST_DELIVERIES_PER_SECOND / members, 1.25, 40);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int totalClients() {
    return members + 1;
  }

  @Override
  public Part part(Share share) {
    return new FanoutPart(share);
  }

  @Override
  public ScenarioResult run() throws Exception {
    double cpuStart = ctx.serverCpuSeconds();
    double generatorStart = ProcessStats.selfCpuSeconds();
    try (Team team = Team.start(this, ctx.options(), ctx.mapper())) {
      team.prepare();
      ctx.log(String.format("%,d members in one room, ramping from %.0f msg/s ×%.2f per %.0f s step, bound %d ms",
          members, schedule.firstRate(), schedule.factor(), schedule.stepSeconds(), boundMicros / 1000));
      RampRunner.Outcome outcome = new RampRunner(ctx, schedule, boundMicros, sent -> sent * members)
          .run(team, (RampPart) team.local());
      return RampResults.of(ctx, name, String.format("%,d members, %d B text, p99 ≤ %d ms", members, TEXT_BYTES,
          boundMicros / 1000), outcome, schedule, cpuStart, generatorStart, team.processes(), totalClients());
    }
  }

  /** This share of the receivers; the coordinator's share also holds the sender. */
  private final class FanoutPart implements RampPart {
    private final Share share;
    private final StepLatencies latencies;
    private final LatencyListener listener;
    private final ClientPool pool;
    private final String text = Payloads.text(TEXT_BYTES);
    private final String quotedRoom = Json.quote(ROOM);
    /** Null in workers and until prepared. Written by the coordinator's main thread. */
    private volatile MessageSource source;
    /** Null in workers and until started. Written by the coordinator's main thread. */
    private volatile Pacer pacer;
    /** The sender's channel; null in workers. */
    private volatile Channel senderChannel;

    FanoutPart(Share share) {
      this.share = share;
      this.latencies = new StepLatencies(schedule.maxSteps());
      this.listener = new LatencyListener("message", latencies, ctx.clock());
      this.pool = ctx.newPool(listener);
    }

    @Override
    public void prepare() throws Exception {
      pool.connect(share.size(members), MAX_IN_FLIGHT, c -> BenchContext.join(c, ROOM)).get(10, TimeUnit.MINUTES);
      if (share.coordinator()) {
        BenchClient sender = pool.connect(1, 1, c -> c.connected()).get(30, TimeUnit.SECONDS).get(0);
        Channel ch = sender.channel();
        senderChannel = ch;
        source = (step, count, micros) -> {
          for (int i = 0; i < count; i++) {
            String packet = Packets.event("message", Payloads.message(micros, step, quotedRoom, text));
            ch.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ch.alloc(), packet)), ch.voidPromise());
          }
          ch.flush();
        };
      }
    }

    @Override
    public void start(long startMicros) {
      if (source != null) {
        pacer = new Pacer(senderChannel.eventLoop(), ctx.clock(), schedule.startingAt(startMicros), 1.0, source);
        pacer.start();
      }
    }

    @Override
    public void stopAfter(int step) {
      if (pacer != null) {
        pacer.stopAfter(step);
      }
    }

    @Override
    public StepLatencies latencies() {
      return latencies;
    }

    @Override
    public long sent(int step) {
      return pacer == null ? 0 : pacer.sent(step);
    }

    @Override
    public long expectedDeliveries(int step) {
      return sent(step) * share.size(members);
    }

    @Override
    public PartReport report(int lastStep) {
      if (pacer != null) {
        pacer.stop();
      }
      return rampReport(lastStep, share.size(members), listener.closed());
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}
