package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 1: many idle clients, each in two rooms; the server's heap after a full GC and its
 * RSS, per connection. A probe client asks the server for its memory (the {@code stats} event)
 * before the clients connect and after; the difference divided by the clients is the figure.
 */
final class IdleScenario implements Scenario {
  private static final int MAX_IN_FLIGHT = 200;

  private final BenchContext ctx;
  private final int clients;

  IdleScenario(BenchContext ctx) {
    this.ctx = ctx;
    this.clients = (int) ctx.options().size("clients", ctx.options().quick() ? 2_000 : 10_000);
  }

  @Override
  public String name() {
    return "idle";
  }

  @Override
  public int totalClients() {
    return clients;
  }

  @Override
  public Part part(Share share) {
    return new IdlePart(share);
  }

  @Override
  public ScenarioResult run() throws Exception {
    double cpuStart = ctx.serverCpuSeconds();
    double generatorStart = ProcessStats.selfCpuSeconds();
    try (ClientPool probePool = ctx.newPool(new ClientListener() {})) {
      BenchClient probe = probePool.open();
      probe.connected().get(30, TimeUnit.SECONDS);
      ServerMemory before = stats(probe);
      ctx.log("before: " + before);
      try (Team team = Team.start(this, ctx.options(), ctx.mapper())) {
        long connectStart = System.nanoTime();
        team.prepare();
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        ctx.log(String.format("%,d clients connected and in two rooms each in %.1f s", clients, connectSeconds));
        stats(probe); // a first collection; V8 may need two to release everything
        ServerMemory after = stats(probe);
        ctx.log("after: " + after);
        List<PartReport> reports = team.stop(Schedule.WARMUP, Duration.ZERO);
        double heapPer = (double) (after.heapUsed() - before.heapUsed()) / clients;
        double rssPer = (double) (after.rss() - before.rss()) / clients;
        double generatorCpu = ProcessStats.selfCpuSeconds() - generatorStart
            + reports.stream().skip(1).mapToDouble(PartReport::cpuSeconds).sum();
        int disconnects = reports.stream().mapToInt(PartReport::disconnects).sum();
        return new ScenarioResult(name(), ctx.options().server(), "heap per idle connection after GC", "bytes",
            heapPer, false,
            String.format("%,d clients in 2 rooms each; RSS %,.0f B/conn; heap %,d → %,d B; connected in %.1f s",
                clients, rssPer, before.heapUsed(), after.heapUsed(), connectSeconds),
            cpuStart < 0 ? -1 : ctx.serverCpuSeconds() - cpuStart, generatorCpu, team.processes(), clients,
            disconnects, List.of(),
            Map.of("heapPerConnection", heapPer, "rssPerConnection", rssPer,
                "heapBefore", (double) before.heapUsed(), "heapAfter", (double) after.heapUsed(),
                "rssBefore", (double) before.rss(), "rssAfter", (double) after.rss(),
                "connections", (double) after.connections(), "connectSeconds", connectSeconds));
      }
    }
  }

  private ServerMemory stats(BenchClient probe) throws Exception {
    String args = probe.emitWithAck("stats", null).get(60, TimeUnit.SECONDS);
    JsonNode stats = ctx.mapper().readTree(args).path(0);
    if (!stats.has("heapUsed") || !stats.has("rss")) {
      throw new IllegalStateException("the server's stats ack lacks heapUsed or rss: " + args);
    }
    return new ServerMemory(stats.path("heapUsed").asLong(), stats.path("rss").asLong(),
        stats.path("connections").asLong(-1));
  }

  /** The server's answer to {@code stats}. */
  private record ServerMemory(long heapUsed, long rss, long connections) {
    @Override
    public String toString() {
      return String.format("heap %,d B, RSS %,d B, %,d connections", heapUsed, rss, connections);
    }
  }

  /** Connects this share of the clients and joins each to two rooms. */
  private final class IdlePart implements Part {
    private final Share share;
    private final AtomicInteger closed = new AtomicInteger();
    private final ClientPool pool;

    IdlePart(Share share) {
      this.share = share;
      this.pool = ctx.newPool(new ClientListener() {
        @Override
        public void onClosed(BenchClient client) {
          closed.incrementAndGet();
        }
      });
    }

    @Override
    public void prepare() throws Exception {
      int first = share.from(clients);
      pool.connect(share.size(clients), MAX_IN_FLIGHT, c -> {
        int global = first + c.index();
        return CompletableFuture.allOf(
            BenchContext.join(c, "idle-a-" + global / 50),
            BenchContext.join(c, "idle-b-" + global % 200));
      }).get(10, TimeUnit.MINUTES);
    }

    @Override
    public PartReport report(int lastStep) {
      return new PartReport(ProcessStats.selfCpuSeconds(), share.size(clients), closed.get(), List.of());
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}
