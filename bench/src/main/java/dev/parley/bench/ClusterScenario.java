package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 8: one room across the nodes of a cluster. The members of {@code general} are split
 * half and half over two nodes ({@code --port A,B}; {@link ClusterLayout}); senders on both send
 * {@code message:send} into it, so that every message is stored once and delivered on its own
 * node and, across the cluster's bus, on the other. The rate is ramped like a fan-out's; the
 * figure is the most deliveries per second of a step whose p99 latency, from send to delivery,
 * is within 50 ms.
 *
 * <p>Given one port, the same clients and senders go to that one node, in the same two groups:
 * the same load on the generator's side, so that the cluster's figure can be read against one
 * node's. Each group of clients has its own event loop.
 */
final class ClusterScenario implements Scenario {
  private static final String ROOM = "general";
  private static final int TEXT_BYTES = 100;
  private static final int MAX_IN_FLIGHT = 100;
  private static final long BOUND_MICROS = 50_000;
  private static final double FIRST_DELIVERIES_PER_SECOND = 20_000;
  private static final byte[] OK = "\"ok\":true".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CODE = PayloadScanner.key("code");

  private final BenchContext ctx;
  private final int members;
  private final int senders;
  private final int groups;
  private final Schedule schedule;

  ClusterScenario(BenchContext ctx) {
    this.ctx = ctx;
    GeneratorOptions o = ctx.options();
    this.members = (int) o.size("members", o.quick() ? 200 : 1_000);
    this.senders = (int) o.size("senders", o.quick() ? 10 : 20);
    this.groups = Math.max(2, o.targets().size());
    // Fails early on sizes that leave a node without clients or senders.
    new ClusterLayout(members, senders, groups);
    double stepSeconds = o.size("step-seconds", o.quick() ? 1 : 2);
    this.schedule = new Schedule(0, (long) ((o.quick() ? 2 : 3) * 1e6), (long) (stepSeconds * 1e6),
        FIRST_DELIVERIES_PER_SECOND / members, o.quick() ? 1.5 : 1.25, 40);
  }

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public int totalClients() {
    return members;
  }

  @Override
  public Part part(Share share) {
    return new ClusterPart(share);
  }

  @Override
  public ScenarioResult run() throws Exception {
    double cpuStart = ctx.serverCpuSeconds();
    double generatorStart = ProcessStats.selfCpuSeconds();
    try (Team team = Team.start(this, ctx.options(), ctx.mapper())) {
      team.prepare();
      int nodes = ctx.options().targets().size();
      String where = nodes == 1 ? "one node" : nodes + " nodes";
      ctx.log(String.format("%,d members of '%s' on %s, %d senders, ramping from %.0f msg/s ×%.2f per %.0f s step, "
          + "p99 ≤ %d ms", members, ROOM, where, senders, schedule.firstRate(), schedule.factor(),
          schedule.stepSeconds(), BOUND_MICROS / 1000));
      RampRunner.Outcome outcome = new RampRunner(ctx, schedule, BOUND_MICROS, sent -> sent * members)
          .run(team, (RampPart) team.local());
      Map<String, Long> errors = new TreeMap<>();
      for (PartReport report : outcome.reports()) {
        report.counts().forEach((code, n) -> errors.merge(code, n, Long::sum));
      }
      ScenarioResult result = RampResults.of(ctx, name(), String.format("%,d members of one room on %s, %d senders "
          + "split over them, %d B text, p99 ≤ %d ms", members, where, senders, TEXT_BYTES, BOUND_MICROS / 1000),
          outcome, schedule, cpuStart, generatorStart, team.processes(), members);
      return errors.isEmpty() ? result : result.withDetail("; error acks " + errors);
    }
  }

  /** This share's members, in one group per node; the first few of each group send. */
  private final class ClusterPart implements RampPart {
    private final Share share;
    private final ClusterLayout layout;
    private final StepLatencies latencies = new StepLatencies(schedule.maxSteps());
    private final LatencyListener deliveries = LatencyListener.chatMessages(latencies, ctx.clock());
    /** Error acks of the senders' message:sends, by code. */
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final List<ClientPool> pools = new ArrayList<>();
    /** This share's senders, once prepared. */
    private volatile List<BenchClient> sending = List.of();
    /** The room's id as JSON; set by prepare. */
    private volatile String quotedRoom;
    /** Null until started. */
    private volatile LoopPacers pacers;

    ClusterPart(Share share) {
      this.share = share;
      this.layout = new ClusterLayout(share.size(members), share.size(senders), groups);
      ClientListener listener = new ClientListener() {
        @Override
        public void onEvent(BenchClient client, ByteBuf frame) {
          deliveries.onEvent(client, frame);
        }

        @Override
        public void onAck(BenchClient client, long id, ByteBuf frame) {
          if (!PayloadScanner.contains(frame, OK)) {
            String code = PayloadScanner.stringField(frame, CODE);
            errors.computeIfAbsent(code == null ? "unreadable" : code, k -> new LongAdder()).increment();
          }
        }

        @Override
        public void onClosed(BenchClient client) {
          deliveries.onClosed(client);
        }
      };
      List<InetSocketAddress> targets = ctx.options().targets();
      for (int g = 0; g < groups; g++) {
        int group = g;
        pools.add(ctx.newPool(targets.get(g % targets.size()), listener, k -> NamespaceSession.of(
            ChatRequests.NAMESPACE, Map.of("name", "k" + share.index() + "-" + layout.client(group, k)), false)));
      }
    }

    @Override
    public void prepare() throws Exception {
      List<BenchClient> all = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        List<BenchClient> group = pools.get(g).connect(layout.clientsOn(g), MAX_IN_FLIGHT, BenchClient::connected)
            .get(5, TimeUnit.MINUTES);
        all.addAll(group.subList(0, layout.sendersOn(g)));
      }
      // Every member is in general from the start; a sender asks for its id.
      for (BenchClient sender : all) {
        quotedRoom = Json.quote(ChatRequests.joinByName(sender, ROOM, ctx.mapper()).get(1, TimeUnit.MINUTES).id());
      }
      sending = all;
    }

    @Override
    public void start(long startMicros) {
      String room = quotedRoom;
      // Client message ids per sender; each slot only touched on its client's loop.
      long[] sent = new long[sending.size()];
      Map<BenchClient, Integer> slot = new java.util.IdentityHashMap<>();
      for (int i = 0; i < sending.size(); i++) {
        slot.put(sending.get(i), i);
      }
      pacers = new LoopPacers(sending, senders, ctx.clock(), schedule.startingAt(startMicros),
          (client, step, micros) -> {
            int i = slot.get(client);
            return Packets.eventWithAck(ChatRequests.NAMESPACE, client.takeAckId(), "message:send",
                Payloads.chatSend(room, Payloads.chatText(micros, step, TEXT_BYTES), Json.quote(i + "-" + sent[i]++)));
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

    /** Every process's senders send to every member: this share's sends stand for its part of all. */
    @Override
    public long expectedDeliveries(int step) {
      return Math.round((double) sent(step) * senders / layout.senders()) * layout.clients();
    }

    @Override
    public PartReport report(int lastStep) {
      LoopPacers p = pacers;
      if (p != null) {
        p.stop();
      }
      PartReport ramp = rampReport(lastStep, layout.clients(), deliveries.closed());
      Map<String, Long> counts = new TreeMap<>();
      errors.forEach((code, n) -> counts.put(code, n.sum()));
      return new PartReport(ramp.cpuSeconds(), ramp.clients(), ramp.disconnects(), ramp.steps(), counts);
    }

    @Override
    public void close() {
      pools.forEach(ClientPool::close);
    }
  }
}
