package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The other generator processes of a scenario, started by the coordinator (share 0) when one
 * process would need more sockets than its open-file limit allows.
 *
 * <p>Each worker is this JVM's command line again plus {@code --share i/n}. They talk over
 * stdin/stdout in lines: the worker prints {@code READY} once its clients are set up; the
 * coordinator writes {@code START <micros>} and later {@code STOP <lastStep> [<note>]}; the worker answers
 * {@code RESULT <json>} and exits. Workers inherit the coordinator's CPU affinity and stderr.
 */
public final class Workers implements AutoCloseable {
  private static final String MAIN = LoadGenerator.class.getName();

  private final ObjectMapper mapper;
  private final List<Worker> workers = new ArrayList<>();

  private Workers(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** No workers: everything runs in the coordinator. */
  public static Workers none(ObjectMapper mapper) {
    return new Workers(mapper);
  }

  /** Starts workers for shares 1..count-1, each with {@code args} plus its share. */
  public static Workers start(int count, List<String> args, ObjectMapper mapper) throws IOException {
    Workers all = new Workers(mapper);
    String java = ProcessHandle.current().info().command().orElse("java");
    for (int i = 1; i < count; i++) {
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(MAIN);
      command.addAll(args);
      command.add("--share");
      command.add(i + "/" + count);
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      all.workers.add(new Worker(i, process));
    }
    return all;
  }

  /** How many workers there are. */
  public int size() {
    return workers.size();
  }

  /** Waits until every worker has its clients set up. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    for (Worker w : workers) {
      w.expect("READY", timeout);
    }
  }

  /** Tells every worker when the schedule starts. */
  public void start(long startMicros) {
    workers.forEach(w -> w.send("START " + startMicros));
  }

  /** Tells every worker to stop sending after {@code lastStep}, drain and report. */
  public void stop(int lastStep) {
    stop(lastStep, "");
  }

  /** The same, with a one-line {@code note} for {@link Part#conclude}. */
  public void stop(int lastStep, String note) {
    if (note.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a note is one line");
    }
    workers.forEach(w -> w.send(("STOP " + lastStep + " " + note).strip()));
  }

  /** Collects the report of every worker after {@link #stop}. */
  public List<PartReport> reports(Duration timeout) throws InterruptedException, IOException {
    List<PartReport> reports = new ArrayList<>();
    for (Worker w : workers) {
      String line = w.expect("RESULT ", timeout);
      reports.add(mapper.readValue(line.substring("RESULT ".length()), PartReport.class));
    }
    return reports;
  }

  @Override
  public void close() {
    for (Worker w : workers) {
      w.process.destroy();
    }
    for (Worker w : workers) {
      try {
        if (!w.process.waitFor(5, TimeUnit.SECONDS)) {
          w.process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        w.process.destroyForcibly();
      }
    }
  }

  /** One worker process and the lines it printed, read by a daemon thread. */
  private static final class Worker {
    private final int index;
    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(64);

    Worker(int index, Process process) {
      this.index = index;
      this.process = process;
      this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread reader = new Thread(this::readLines, "worker-" + index + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    private void readLines() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!lines.offer(line, 10, TimeUnit.SECONDS)) {
            return;
          }
        }
      } catch (IOException | InterruptedException e) {
        // The worker is gone; expect() reports it.
      }
    }

    void send(String line) {
      stdin.println(line);
      if (stdin.checkError()) {
        throw new UncheckedIOException(new IOException("worker " + index + " is not reading its input (exited?)"));
      }
    }

    String expect(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new IllegalStateException("timed out waiting for worker " + index + " to say " + prefix.trim()
              + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }
  }
}
