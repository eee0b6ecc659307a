package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 6: history under load. A room holds a million messages (seeded into the database by
 * {@code bench/run.sh} before the run); a few clients ask for 50-message pages before random
 * seqs at a steady rate while a fan-out like scenario 2's runs at a fixed load: one sender sends
 * {@code message:send} into {@code general}, where every client of the chat is. The figure is
 * the p99 time from asking for a page to receiving it, counting pages that never came or came
 * short as infinitely late. Runs in one process.
 */
final class HistoryScenario implements Scenario {
  private static final String HISTORY_ROOM = "history";
  private static final String FANOUT_ROOM = "general";
  private static final int TEXT_BYTES = 100;
  private static final int MAX_IN_FLIGHT = 100;
  private static final int PAGE = 50;
  private static final int READERS = 10;
  private static final long BOUND_MICROS = 5_000;
  private static final byte[] OK = "\"ok\":true".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SEQ = PayloadScanner.key("seq");

  private final BenchContext ctx;
  private final int members;
  private final Schedule fanout;
  private final Schedule pages;

  HistoryScenario(BenchContext ctx) {
    this.ctx = ctx;
    GeneratorOptions o = ctx.options();
    this.members = (int) o.size("members", 1_000);
    long warmup = (long) ((o.quick() ? 2 : 3) * 1e6);
    long measure = (long) (o.size("step-seconds", o.quick() ? 4 : 15) * 1e6);
    double deliveries = o.size("fanout-rate", 80_000);
    this.fanout = new Schedule(0, warmup, measure, deliveries / members, 1, 1);
    this.pages = new Schedule(0, warmup, measure, o.size("rate", 200), 1, 1);
  }

  @Override
  public String name() {
    return "history";
  }

  @Override
  public int totalClients() {
    return 1; // always one process: a thousand receivers
  }

  @Override
  public Part part(Share share) {
    throw new UnsupportedOperationException("history runs in the coordinator only");
  }

  @Override
  public ScenarioResult run() throws Exception {
    double cpuStart = ctx.serverCpuSeconds();
    double generatorStart = ProcessStats.selfCpuSeconds();
    StepLatencies fanoutLatencies = new StepLatencies(1);
    StepLatencies pageLatencies = new StepLatencies(1);
    LatencyListener fanoutListener = LatencyListener.chatMessages(fanoutLatencies, ctx.clock());
    PageListener pageListener = new PageListener(pageLatencies);
    ClientListener both = new ClientListener() {
      @Override
      public void onEvent(BenchClient client, ByteBuf frame) {
        fanoutListener.onEvent(client, frame);
      }

      @Override
      public void onAck(BenchClient client, long id, ByteBuf frame) {
        pageListener.onAck(client, id, frame);
      }

      @Override
      public void onClosed(BenchClient client) {
        fanoutListener.onClosed(client);
      }
    };
    try (ClientPool pool = ctx.newPool(both, ChatRequests.sessions("h-", false))) {
      pool.connect(members, MAX_IN_FLIGHT, BenchClient::connected).get(10, TimeUnit.MINUTES);
      List<BenchClient> readers = pool.connect(READERS, READERS, BenchClient::connected).get(1, TimeUnit.MINUTES);
      BenchClient sender = pool.connect(1, 1, BenchClient::connected).get(1, TimeUnit.MINUTES).get(0);
      // The sender is one of general's members too: its own messages come back to it.
      ChatRequests.ChatRoom general = ChatRequests.joinByName(sender, FANOUT_ROOM, ctx.mapper()).get(1, TimeUnit.MINUTES);
      ChatRequests.ChatRoom history = null;
      for (BenchClient reader : readers) {
        history = ChatRequests.joinByName(reader, HISTORY_ROOM, ctx.mapper()).get(1, TimeUnit.MINUTES);
      }
      long lastSeq = history.lastSeq();
      if (lastSeq < 2L * PAGE) {
        throw new IllegalStateException("the room '" + HISTORY_ROOM + "' holds " + lastSeq
            + " messages: seed it first (bench/run.sh does)");
      }
      ctx.log(String.format("room '%s' holds %,d messages; %,d members in '%s'", HISTORY_ROOM, lastSeq,
          members + READERS + 1, FANOUT_ROOM));
      long start = ctx.clock().micros() + 1_000_000;
      String quotedGeneral = Json.quote(general.id());
      long[] sent = {0};
      // The chat server ignores a message:send that asks for no ack; the sender's acks are not read.
      LoopPacers fanoutPacer = new LoopPacers(List.of(sender), 1, ctx.clock(), fanout.startingAt(start),
          (client, step, micros) -> Packets.eventWithAck(ChatRequests.NAMESPACE, client.takeAckId(), "message:send",
              Payloads.chatSend(quotedGeneral, Payloads.chatText(micros, step, TEXT_BYTES),
                  Json.quote("f-" + sent[0]++))));
      String historyPrefix = "{\"roomId\":" + Json.quote(history.id()) + ",\"limit\":" + PAGE + ",\"before\":";
      LoopPacers pagePacer = new LoopPacers(readers, readers.size(), ctx.clock(), pages.startingAt(start),
          (client, step, micros) -> {
            long ackId = client.takeAckId();
            pageListener.sent(client, ackId, step, micros);
            long before = ThreadLocalRandom.current().nextLong(PAGE + 1, lastSeq + 1);
            return Packets.eventWithAck(ChatRequests.NAMESPACE, ackId, "history", historyPrefix + before + "}");
          });
      fanoutPacer.start();
      pagePacer.start();
      Schedule timed = pages.startingAt(start);
      ctx.sleepUntil(timed.stepStart(0));
      double cpuMark = ctx.serverCpuSeconds();
      double generatorMark = ProcessStats.selfCpuSeconds();
      ctx.sleepUntil(timed.stepEnd(0));
      double cpu = cpuMark < 0 ? -1 : ctx.serverCpuSeconds() - cpuMark;
      double generatorCpu = ProcessStats.selfCpuSeconds() - generatorMark;
      fanoutPacer.stop();
      pagePacer.stop();
      Thread.sleep(1_000);
      int receivers = members + READERS + 1;
      StepResult pageStep = StepResult.of(0, pagePacer.sent(0) / timed.stepSeconds(), pagePacer.sent(0),
          pageLatencies.snapshot(0), timed.stepSeconds(), BOUND_MICROS, cpu, generatorCpu);
      StepResult fanStep = StepResult.of(0, fanoutPacer.sent(0) / timed.stepSeconds(),
          fanoutPacer.sent(0) * receivers, fanoutLatencies.snapshot(0), timed.stepSeconds(), 50_000, cpu,
          generatorCpu);
      ctx.log("history " + pageStep.describe());
      ctx.log("fanout  " + fanStep.describe());
      Map<String, Double> figures = new HashMap<>();
      figures.put("pageP50Ms", pageStep.p50Ms());
      figures.put("pageP99Ms", pageStep.p99Ms());
      figures.put("pageMaxMs", pageStep.maxMs());
      figures.put("pagesPerSecond", pageStep.deliveredPerSecond());
      figures.put("roomMessages", (double) lastSeq);
      figures.put("badPages", (double) pageListener.bad.sum());
      figures.put("fanoutDeliveredPerSecond", fanStep.deliveredPerSecond());
      figures.put("fanoutP99Ms", fanStep.p99Ms());
      String detail = String.format("%d-message pages before random seqs of a %,d-message room, %,.0f/s, during "
          + "%,.0f fan-out deliveries/s (p99 %s); %,d of %,d pages answered, p50 %.2f ms, max %.1f ms%s", PAGE,
          lastSeq, pageStep.offeredPerSecond(), fanStep.deliveredPerSecond(),
          fanStep.p99Ms() < 0 ? ">1% lost" : String.format("%.1f ms", fanStep.p99Ms()), pageStep.delivered(),
          pageStep.expected(), pageStep.p50Ms(), pageStep.maxMs(), pageListener.bad.sum() > 0
              ? String.format("; %,d pages failed or short", pageListener.bad.sum()) : "");
      // More than 1% of the pages unanswered in time: there is no p99 (-1, shown as such).
      double value = pageStep.p99Ms();
      return new ScenarioResult(name(), ctx.options().server(), "p99 history page latency under fan-out load", "ms",
          value, false, detail, cpuStart < 0 ? -1 : ctx.serverCpuSeconds() - cpuStart,
          ProcessStats.selfCpuSeconds() - generatorStart, 1, receivers, fanoutListener.closed(),
          List.of(pageStep, fanStep), figures);
    }
  }

  /** Times each page from request to answer; a page that is not {@code ok} or short is bad. */
  private static final class PageListener {
    private final StepLatencies latencies;
    /** Each reader's requests in flight; a reader's entry is only used on its event loop. */
    private final Map<BenchClient, SentTimes> sent = new java.util.concurrent.ConcurrentHashMap<>();
    private final LongAdder bad = new LongAdder();
    private final MicroClock clock = MicroClock.wall();

    PageListener(StepLatencies latencies) {
      this.latencies = latencies;
    }

    void sent(BenchClient client, long ackId, int step, long micros) {
      sent.computeIfAbsent(client, c -> new SentTimes(1024)).sent(ackId, step, micros);
    }

    void onAck(BenchClient client, long id, ByteBuf frame) {
      SentTimes times = sent.get(client);
      if (times == null || !times.take(id)) {
        return;
      }
      if (PayloadScanner.contains(frame, OK) && PayloadScanner.count(frame, SEQ) == PAGE) {
        latencies.record(times.takenStep(), clock.micros() - times.takenMicros());
      } else {
        bad.increment();
      }
    }
  }
}
