package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletableFuture;

/** What every scenario needs: the options, one JSON mapper and the clock. */
record BenchContext(GeneratorOptions options, ObjectMapper mapper, MicroClock clock) {

  /** A pool of clients to the server under test that report to {@code listener}. */
  ClientPool newPool(ClientListener listener) {
    return new ClientPool(options.target(), options.sources(), options.ioThreads(), listener);
  }

  /** A pool whose clients' namespace and auth come from {@code sessions} (see {@link NamespaceSession}). */
  ClientPool newPool(ClientListener listener, java.util.function.IntFunction<NamespaceSession> sessions) {
    return new ClientPool(options.target(), options.sources(), options.ioThreads(), listener, sessions);
  }

  /** A pool of clients to {@code target}, one of the cluster's nodes. */
  ClientPool newPool(java.net.InetSocketAddress target, ClientListener listener,
      java.util.function.IntFunction<NamespaceSession> sessions) {
    return new ClientPool(target, options.sources(), options.ioThreads(), listener, sessions);
  }

  /** Server CPU seconds so far, of every node together, or -1 when the server's pid is unknown. */
  double serverCpuSeconds() {
    if (options.serverPids().isEmpty()) {
      return -1;
    }
    double seconds = 0;
    for (long pid : options.serverPids()) {
      seconds += ProcessStats.cpuSeconds(pid);
    }
    return seconds;
  }

  /** Server RSS in bytes, of every node together, or -1 when the server's pid is unknown. */
  long serverRssBytes() {
    if (options.serverPids().isEmpty()) {
      return -1;
    }
    long bytes = 0;
    for (long pid : options.serverPids()) {
      bytes += ProcessStats.rssBytes(pid);
    }
    return bytes;
  }

  /** Joins {@code room} and completes when the server acknowledged it. */
  static CompletableFuture<String> join(BenchClient client, String room) {
    return client.emitWithAck("join", Payloads.room(room));
  }

  /** Sleeps until the {@link MicroClock} reads {@code micros}. */
  void sleepUntil(long micros) throws InterruptedException {
    long wait = micros - clock.micros();
    if (wait > 0) {
      Thread.sleep(wait / 1000, (int) (wait % 1000) * 1000);
    }
  }

  /** Prints a progress line to stderr, tagged with the scenario and server. */
  void log(String message) {
    System.err.printf("[%s/%s] %s%n", options.scenario(), options.server(), message);
  }
}
