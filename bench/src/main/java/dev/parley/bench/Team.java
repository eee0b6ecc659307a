package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The generator processes of one scenario seen from the coordinator: its own {@link Part} plus
 * the {@link Workers} that run the other shares.
 */
final class Team implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  private final Part local;
  private final Workers workers;
  private final int processes;

  private Team(Part local, Workers workers, int processes) {
    this.local = local;
    this.workers = workers;
    this.processes = processes;
  }

  /**
   * Starts as many processes as {@code clients} need at {@link GeneratorOptions#clientsPerProcess}
   * each, and creates the coordinator's own part.
   */
  static Team start(Scenario scenario, GeneratorOptions options, ObjectMapper mapper) throws IOException {
    int processes = Math.max(1, (scenario.totalClients() + options.clientsPerProcess() - 1) / options.clientsPerProcess());
    Workers workers = processes > 1 ? Workers.start(processes, options.args(), mapper) : Workers.none(mapper);
    return new Team(scenario.part(new Share(0, processes)), workers, processes);
  }

  /** How many generator processes run the scenario. */
  int processes() {
    return processes;
  }

  /** The coordinator's part. */
  Part local() {
    return local;
  }

  /** Connects and sets up every process's clients. */
  void prepare() throws Exception {
    local.prepare();
    workers.awaitReady(READY_TIMEOUT);
  }

  /** Starts every process on the schedule beginning at {@code startMicros}. */
  void start(long startMicros) {
    workers.start(startMicros);
    local.start(startMicros);
  }

  /**
   * Stops every process after {@code lastStep}, waits {@code drain} for late deliveries, and
   * returns all reports, the coordinator's first.
   */
  List<PartReport> stop(int lastStep, Duration drain) throws InterruptedException, IOException {
    return stop(lastStep, drain, "");
  }

  /** The same, telling every process {@code note} (see {@link Part#conclude}). */
  List<PartReport> stop(int lastStep, Duration drain, String note) throws InterruptedException, IOException {
    local.stopAfter(lastStep);
    local.conclude(note);
    workers.stop(lastStep, note);
    Thread.sleep(drain.toMillis());
    List<PartReport> reports = new ArrayList<>();
    reports.add(local.report(lastStep));
    reports.addAll(workers.reports(drain.plus(READY_TIMEOUT)));
    return reports;
  }

  @Override
  public void close() {
    local.close();
    workers.close();
  }
}
