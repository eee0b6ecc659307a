package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Scenario 7: a reconnect storm. Many clients of the chat namespace, all in {@code general}, with
 * connection-state recovery; one sender keeps sending {@code message:send} into the room at a
 * steady rate. At one moment every client closes its TCP connection, then all connect again at
 * once (at most {@code --in-flight} handshakes at a time), each presenting its pid and the offset
 * of the last event it received. The figure is the time from the drop until every client has
 * reconnected and received everything sent while it was away; every client's seqs are checked,
 * so a message lost or delivered twice is counted.
 *
 * <p>Processes share the clients (each client is one socket; a process holds at most
 * {@code --clients-per-process}); the coordinator also holds the sender and tells the others
 * the range of seqs sent when it stops.
 */
final class ReconnectScenario implements Scenario {
  private static final String ROOM = "general";
  private static final int TEXT_BYTES = 100;
  private static final int MAX_IN_FLIGHT = 200;
  private static final byte[] MESSAGE = PayloadScanner.eventPrefix(ChatRequests.NAMESPACE, "message");
  private static final byte[] SESSION = PayloadScanner.eventPrefix(ChatRequests.NAMESPACE, "session");
  private static final byte[] SEQ = PayloadScanner.key("seq");
  private static final byte[] GUEST_KEY = PayloadScanner.key("guestKey");
  private static final byte[] OK = "\"ok\":true".getBytes(StandardCharsets.UTF_8);

  private final BenchContext ctx;
  private final int clients;
  private final int inFlight;
  private final Schedule schedule;

  ReconnectScenario(BenchContext ctx) {
    this.ctx = ctx;
    GeneratorOptions o = ctx.options();
    this.clients = (int) o.size("clients", o.quick() ? 2_000 : 10_000);
    this.inFlight = (int) o.size("in-flight", 500);
    if (clients <= 0 || inFlight <= 0) {
      throw new IllegalArgumentException("reconnect needs clients and a positive --in-flight");
    }
    // Warm-up: sending before the drop. Step 0: the drop, the storm and the catch-up, at most this long.
    long warmup = (long) ((o.quick() ? 1.5 : 3) * 1e6);
    long window = (long) (o.size("step-seconds", o.quick() ? 10 : 60) * 1e6);
    this.schedule = new Schedule(0, warmup, window, o.size("rate", 10), 1, 1);
  }

  @Override
  public String name() {
    return "reconnect";
  }

  @Override
  public int totalClients() {
    return clients;
  }

  @Override
  public Part part(Share share) {
    return new ReconnectPart(share);
  }

  @Override
  public ScenarioResult run() throws Exception {
    double cpuStart = ctx.serverCpuSeconds();
    double generatorStart = ProcessStats.selfCpuSeconds();
    try (Team team = Team.start(this, ctx.options(), ctx.mapper())) {
      team.prepare();
      ReconnectPart local = (ReconnectPart) team.local();
      Schedule s = schedule.startingAt(ctx.clock().micros() + 1_000_000);
      ctx.log(String.format("%,d clients in '%s', %.0f msg/s; all drop after %.1f s and reconnect, %d handshakes at "
          + "a time", clients, ROOM, s.firstRate(), s.warmupMicros() / 1e6, inFlight));
      team.start(s.startMicros());
      long drop = s.stepStart(0);
      ctx.sleepUntil(drop);
      double cpuMark = ctx.serverCpuSeconds();
      double generatorMark = ProcessStats.selfCpuSeconds();
      long nextLog = drop + 1_000_000;
      while (ctx.clock().micros() < s.stepEnd(0) && !local.allLive()) {
        Thread.sleep(100);
        if (ctx.clock().micros() >= nextLog) {
          ctx.log(String.format("%.0f s after the drop: %s", (nextLog - drop) / 1e6, local.progress()));
          nextLog += 1_000_000;
        }
      }
      long settled = ctx.clock().micros();
      if (team.processes() > 1) {
        // Other processes' clients are not seen from here: give them a while longer.
        ctx.sleepUntil(Math.min(s.stepEnd(0), settled + Math.max(1_000_000, (settled - drop) / 4)));
      }
      double cpu = cpuMark < 0 ? -1 : ctx.serverCpuSeconds() - cpuMark;
      double generatorCpu = ProcessStats.selfCpuSeconds() - generatorMark;
      long[] range = local.stopSending();
      List<PartReport> reports = team.stop(0, Duration.ofSeconds(2), range[0] + " " + range[1]);
      return result(reports, range, s, cpuStart, generatorStart, cpu, generatorCpu, team.processes());
    }
  }

  private ScenarioResult result(List<PartReport> reports, long[] range, Schedule s, double cpuStart,
      double generatorStart, double stormCpu, double stormGeneratorCpu, int processes) {
    Histogram catchUp = StepLatencies.newHistogram();
    Map<String, Long> counts = new HashMap<>();
    for (PartReport report : reports) {
      report.steps().forEach(step -> catchUp.add(step.histogram()));
      report.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
    }
    long reconnected = counts.getOrDefault("reconnected", 0L);
    long recovered = counts.getOrDefault("recovered", 0L);
    long lost = counts.getOrDefault("lost", 0L);
    long duplicates = counts.getOrDefault("duplicates", 0L);
    long behind = counts.getOrDefault("behind", 0L);
    long sent = range[1] >= range[0] ? range[1] - range[0] + 1 : 0;
    double allSeconds = catchUp.getMaxValue() / 1e6;
    // Every client back and none still missing its last messages: otherwise not all caught up.
    double value = reconnected == clients && behind == 0 ? allSeconds : -1;
    ctx.log(String.format("reconnected %,d of %,d (recovered %,d), %,d still behind, lost %,d, duplicated %,d; "
        + "caught up: p50 %.2f s, all %.2f s", reconnected, clients, recovered, behind, lost, duplicates,
        catchUp.getValueAtPercentile(50) / 1e6, allSeconds));
    Map<String, Double> figures = new HashMap<>();
    figures.put("catchUpSeconds", allSeconds);
    figures.put("catchUpP50Seconds", catchUp.getValueAtPercentile(50) / 1e6);
    figures.put("catchUpP99Seconds", catchUp.getValueAtPercentile(99) / 1e6);
    figures.put("reconnected", (double) reconnected);
    figures.put("recovered", (double) recovered);
    figures.put("lost", (double) lost);
    figures.put("behind", (double) behind);
    figures.put("duplicates", (double) duplicates);
    figures.put("messagesSent", (double) sent);
    figures.put("stormServerCpuSeconds", stormCpu);
    figures.put("stormGeneratorCpuSeconds", stormGeneratorCpu);
    String detail = String.format("%,d clients in one room, %.0f msg/s, %,d messages checked per client; "
        + "reconnected %,d in %.0f s (recovered %,d), caught up p50 %.2f s; %,d still behind at the end; lost %,d, "
        + "duplicated %,d; %d handshakes at a time", clients, s.firstRate(), sent, reconnected, s.stepSeconds(),
        recovered, catchUp.getValueAtPercentile(50) / 1e6, behind, lost, duplicates, inFlight);
    double generatorCpu = ProcessStats.selfCpuSeconds() - generatorStart
        + reports.stream().skip(1).mapToDouble(PartReport::cpuSeconds).sum();
    return new ScenarioResult(name(), ctx.options().server(), "seconds until every client has caught up", "s", value,
        false, detail, cpuStart < 0 ? -1 : ctx.serverCpuSeconds() - cpuStart, generatorCpu, processes, clients,
        0, List.of(), figures);
  }

  /** This share's clients; the coordinator's also has the sender. */
  private final class ReconnectPart implements Part {
    private final Share share;
    private final int size;
    private final SeqTracker[] trackers;
    private final ClientPool pool;
    private final LongAdder recovered = new LongAdder();
    /** The clients of the current connections; replaced by the storm. */
    private volatile List<BenchClient> current = List.of();
    /** The seqs the sender was acknowledged: first and last; -1 before. */
    private final AtomicLong firstSeq = new AtomicLong(-1);
    private final AtomicLong lastSeq = new AtomicLong(-1);
    private final LongAdder sendErrors = new LongAdder();
    /** The sender's pool, client and quoted room id; null in workers. Written by prepare. */
    private ClientPool senderPool;
    private BenchClient senderClient;
    private String senderRoom;
    /** Set by close: a storm still waiting for handshakes then ends quietly. */
    private volatile boolean closing;
    /** Null in workers and until started. */
    private volatile LoopPacers sender;
    /** When every client closes its connection; set by start. */
    private volatile long dropMicros;
    /** Set when the clients drop: connections accepted after it are reconnections. */
    private volatile boolean stormed;
    /** The seqs sent, from the coordinator's note. */
    private volatile long[] range = {0, -1};

    ReconnectPart(Share share) {
      this.share = share;
      this.size = share.size(clients);
      this.trackers = new SeqTracker[size];
      for (int i = 0; i < size; i++) {
        trackers[i] = new SeqTracker();
      }
      this.pool = ctx.newPool(new ClientListener() {
        @Override
        public void onConnected(BenchClient client) {
          if (stormed) {
            trackers[client.index()].reconnected(ctx.clock().micros());
            if (client.recovered()) {
              recovered.increment();
            }
          }
        }

        @Override
        public void onEvent(BenchClient client, ByteBuf frame) {
          if (PayloadScanner.startsWith(frame, MESSAGE)) {
            long seq = PayloadScanner.longField(frame, SEQ);
            if (seq != PayloadScanner.ABSENT) {
              trackers[client.index()].record(seq, PayloadScanner.longField(frame, PayloadScanner.TEXT_TIMESTAMP),
                  ctx.clock().micros());
            }
          } else if (PayloadScanner.startsWith(frame, SESSION)) {
            // Signing in again under the same name takes the key (if recovery fails, say).
            String key = PayloadScanner.stringField(frame, GUEST_KEY);
            if (key != null) {
              client.session().auth("guestKey", key);
            }
          }
        }
      }, ChatRequests.sessions("rc" + share.index() + "-", true));
    }

    @Override
    public void prepare() throws Exception {
      current = pool.connect(size, MAX_IN_FLIGHT, BenchClient::connected).get(10, TimeUnit.MINUTES);
      if (share.coordinator()) {
        senderPool = ctx.newPool(new ClientListener() {
          @Override
          public void onAck(BenchClient client, long id, ByteBuf frame) {
            long seq = PayloadScanner.longField(frame, SEQ);
            if (PayloadScanner.contains(frame, OK) && seq != PayloadScanner.ABSENT) {
              firstSeq.compareAndSet(-1, seq);
              lastSeq.accumulateAndGet(seq, Math::max);
            } else {
              sendErrors.increment();
            }
          }
        }, ChatRequests.sessions("rc-sender-", false));
        senderClient = senderPool.connect(1, 1, BenchClient::connected).get(1, TimeUnit.MINUTES).get(0);
        senderRoom = Json.quote(ChatRequests.joinByName(senderClient, ROOM, ctx.mapper())
            .get(1, TimeUnit.MINUTES).id());
      }
    }

    @Override
    public void start(long startMicros) {
      Schedule s = schedule.startingAt(startMicros);
      dropMicros = s.stepStart(0);
      if (senderClient != null) {
        String room = senderRoom;
        long[] n = {0};
        sender = new LoopPacers(List.of(senderClient), 1, ctx.clock(), s, (c, step, micros) ->
            Packets.eventWithAck(ChatRequests.NAMESPACE, c.takeAckId(), "message:send",
                Payloads.chatSend(room, Payloads.chatText(micros, step, TEXT_BYTES), Json.quote("m" + n[0]++))));
        sender.start();
      }
      Thread storm = new Thread(this::storm, "storm");
      storm.setDaemon(true);
      storm.start();
    }

    /** At the drop time: every client closes its connection, then all connect again. */
    private void storm() {
      try {
        ctx.sleepUntil(dropMicros);
        List<BenchClient> old = current;
        stormed = true;
        old.forEach(BenchClient::close);
        CompletableFuture.allOf(old.stream().map(BenchClient::closed).toArray(CompletableFuture[]::new))
            .get(30, TimeUnit.SECONDS);
        ctx.log(String.format("all %,d connections closed %.2f s after the drop", old.size(),
            (ctx.clock().micros() - dropMicros) / 1e6));
        current = pool.reopenAll(old, inFlight).get(5, TimeUnit.MINUTES);
        ctx.log(String.format("all %,d reconnections answered %.2f s after the drop", old.size(),
            (ctx.clock().micros() - dropMicros) / 1e6));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        if (!closing) {
          ctx.log("the reconnect storm failed: " + e);
        }
      }
    }

    /** How far this process's clients are, for the progress log. */
    String progress() {
      int reconnected = 0;
      int live = 0;
      for (SeqTracker t : trackers) {
        reconnected += t.reconnected() ? 1 : 0;
        live += t.live() ? 1 : 0;
      }
      return String.format("%,d of %,d reconnected (%,d recovered), %,d live", reconnected, size, recovered.sum(), live);
    }

    boolean allLive() {
      for (SeqTracker t : trackers) {
        if (!t.live()) {
          return false;
        }
      }
      return true;
    }

    /** Stops the sender, waits for its last acks, and returns the first and last seq acknowledged. */
    long[] stopSending() throws InterruptedException {
      if (sender != null) {
        sender.stop();
      }
      Thread.sleep(500);
      return new long[] {firstSeq.get(), lastSeq.get()};
    }

    @Override
    public void conclude(String note) {
      String[] words = note.trim().split(" ");
      if (words.length == 2) {
        range = new long[] {Long.parseLong(words[0]), Long.parseLong(words[1])};
      }
    }

    @Override
    public PartReport report(int lastStep) {
      Histogram catchUp = StepLatencies.newHistogram();
      long reconnected = 0;
      long lost = 0;
      long behind = 0;
      long duplicates = 0;
      long untracked = 0;
      long[] r = range;
      for (SeqTracker t : trackers) {
        long micros = t.catchUpMicros(dropMicros);
        if (micros < 0) {
          continue; // not back yet: what it would have received is unknown, not lost
        }
        reconnected++;
        catchUp.recordValue(Math.min(Math.max(0, micros), StepLatencies.MAX_MICROS));
        if (r[0] >= 0) {
          lost += t.lost(r[0], r[1]);
          behind += t.behind(r[0], r[1]) > 0 ? 1 : 0;
        }
        duplicates += t.duplicates();
        untracked += t.untracked();
      }
      Map<String, Long> counts = Map.of("reconnected", reconnected, "recovered", recovered.sum(), "lost", lost,
          "behind", behind, "duplicates", duplicates, "untracked", untracked, "sendErrors", sendErrors.sum());
      return new PartReport(ProcessStats.selfCpuSeconds(), size, 0,
          List.of(PartReport.StepPart.of(0, 0, catchUp)), counts);
    }

    @Override
    public void close() {
      closing = true;
      pool.close();
      if (senderPool != null) {
        senderPool.close();
      }
    }
  }
}
