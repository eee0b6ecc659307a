package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenario 4: latency of direct messages while a fan-out runs. A room of 1,000 receives a steady
 * 80 messages/s (80,000 deliveries/s) while ten pairs of clients send each other {@code dm}
 * events, 200 per second in all. The figure is the DMs' p99 latency. Runs in one process.
 */
final class DmScenario implements Scenario {
  private static final String ROOM = "fanout";
  private static final int TEXT_BYTES = 100;
  private static final int MAX_IN_FLIGHT = 200;
  private static final int PAIRS = 10;
  private static final double DMS_PER_SECOND = 200;
  private static final double FANOUT_DELIVERIES_PER_SECOND = 80_000;

  private final BenchContext ctx;
  private final int members;
  private final Schedule fanout;
  private final Schedule dms;

  DmScenario(BenchContext ctx) {
    this.ctx = ctx;
    GeneratorOptions o = ctx.options();
    this.members = (int) o.size("members", 1_000);
    long warmup = (long) ((o.quick() ? 2 : 3) * 1e6);
    long measure = (long) (o.size("step-seconds", o.quick() ? 5 : 15) * 1e6);
    this.fanout = new Schedule(0, warmup, measure, FANOUT_DELIVERIES_PER_SECOND / members, 1, 1);
    this.dms = new Schedule(0, warmup, measure, DMS_PER_SECOND, 1, 1);
  }

  @Override
  public String name() {
    return "dm";
  }

  @Override
  public int totalClients() {
    // Always one process: the receivers are few.
    return 1;
  }

  @Override
  public Part part(Share share) {
    throw new UnsupportedOperationException("dm runs in the coordinator only");
  }

  @Override
  public ScenarioResult run() throws Exception {
    double cpuStart = ctx.serverCpuSeconds();
    double generatorStart = ProcessStats.selfCpuSeconds();
    StepLatencies fanoutLatencies = new StepLatencies(1);
    StepLatencies dmLatencies = new StepLatencies(1);
    LatencyListener fanoutListener = new LatencyListener("message", fanoutLatencies, ctx.clock());
    LatencyListener dmListener = new LatencyListener("dm", dmLatencies, ctx.clock());
    ClientListener both = new ClientListener() {
      @Override
      public void onEvent(BenchClient client, ByteBuf frame) {
        fanoutListener.onEvent(client, frame);
        dmListener.onEvent(client, frame);
      }

      @Override
      public void onClosed(BenchClient client) {
        fanoutListener.onClosed(client);
      }
    };
    try (ClientPool pool = ctx.newPool(both)) {
      pool.connect(members, MAX_IN_FLIGHT, c -> BenchContext.join(c, ROOM)).get(10, TimeUnit.MINUTES);
      List<BenchClient> talkers = pool.connect(2 * PAIRS + 1, MAX_IN_FLIGHT, BenchClient::connected)
          .get(1, TimeUnit.MINUTES);
      Channel sender = talkers.get(2 * PAIRS).channel();
      String text = Payloads.text(TEXT_BYTES);
      String quotedRoom = Json.quote(ROOM);
      long start = ctx.clock().micros() + 1_000_000;
      Pacer fanoutPacer = new Pacer(sender.eventLoop(), ctx.clock(), fanout.startingAt(start), 1.0,
          (step, count, micros) -> {
            for (int i = 0; i < count; i++) {
              String packet = Packets.event("message", Payloads.message(micros, step, quotedRoom, text));
              sender.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(sender.alloc(), packet)), sender.voidPromise());
            }
            sender.flush();
          });
      String[] partnerSid = new String[2 * PAIRS];
      for (int i = 0; i < 2 * PAIRS; i++) {
        partnerSid[i] = Json.quote(talkers.get(i ^ 1).sid());
      }
      int[] next = {0};
      Pacer dmPacer = new Pacer(sender.eventLoop(), ctx.clock(), dms.startingAt(start), 1.0,
          (step, count, micros) -> {
            for (int i = 0; i < count; i++) {
              int from = next[0]++ % (2 * PAIRS);
              talkers.get(from).emit("dm", Payloads.dm(micros, step, partnerSid[from], text));
            }
          });
      fanoutPacer.start();
      dmPacer.start();
      Schedule timed = fanout.startingAt(start);
      ctx.sleepUntil(timed.stepStart(0));
      double cpuMark = ctx.serverCpuSeconds();
      double generatorMark = ProcessStats.selfCpuSeconds();
      ctx.sleepUntil(timed.stepEnd(0));
      double cpu = cpuMark < 0 ? -1 : ctx.serverCpuSeconds() - cpuMark;
      double generatorCpu = ProcessStats.selfCpuSeconds() - generatorMark;
      fanoutPacer.stop();
      dmPacer.stop();
      Thread.sleep(1_000);
      Histogram dm = dmLatencies.snapshot(0);
      StepResult dmStep = StepResult.of(0, dmPacer.sent(0) / timed.stepSeconds(), dmPacer.sent(0), dm,
          timed.stepSeconds(), 5_000, cpu, generatorCpu);
      StepResult fanStep = StepResult.of(0, fanoutPacer.sent(0) / timed.stepSeconds(),
          fanoutPacer.sent(0) * members, fanoutLatencies.snapshot(0), timed.stepSeconds(), 50_000, cpu, generatorCpu);
      ctx.log("dm     " + dmStep.describe());
      ctx.log("fanout " + fanStep.describe());
      Map<String, Double> figures = new HashMap<>();
      figures.put("dmP50Ms", dmStep.p50Ms());
      figures.put("dmP99Ms", dmStep.p99Ms());
      figures.put("dmMaxMs", dmStep.maxMs());
      figures.put("dmsPerSecond", dmStep.deliveredPerSecond());
      figures.put("fanoutDeliveredPerSecond", fanStep.deliveredPerSecond());
      figures.put("fanoutP99Ms", fanStep.p99Ms());
      String detail = String.format("%,.0f DMs/s during %,.0f fan-out deliveries/s (fan-out p99 %s); DM p50 %.2f ms, max %.1f ms",
          dmStep.deliveredPerSecond(), fanStep.deliveredPerSecond(),
          fanStep.p99Ms() < 0 ? ">1% lost" : String.format("%.1f ms", fanStep.p99Ms()), dmStep.p50Ms(), dmStep.maxMs());
      // More than 1% of DMs lost counts as "infinitely" late: report the longest wait instead.
      double value = dmStep.p99Ms() < 0 ? Math.max(dmStep.maxMs(), 1_000) : dmStep.p99Ms();
      return new ScenarioResult(name(), ctx.options().server(), "p99 DM latency under fan-out load", "ms", value,
          false, detail, cpuStart < 0 ? -1 : ctx.serverCpuSeconds() - cpuStart,
          ProcessStats.selfCpuSeconds() - generatorStart, 1, members + 2 * PAIRS + 1, fanoutListener.closed(),
          List.of(dmStep, fanStep), figures);
    }
  }
}
