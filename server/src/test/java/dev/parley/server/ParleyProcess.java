package dev.parley.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The server jar ({@code target/parley.jar}, built in the package phase) run as a process of its
 * own, for tests that kill it with SIGKILL. Started with {@link #start}, ready once it logs that it
 * is (after its port is bound); {@link #close} kills it if it still runs.
 */
final class ParleyProcess implements AutoCloseable {
  static final Path JAR = Path.of(System.getProperty("basedir", "")).resolve("target/parley.jar");

  private final Process process;
  private final StringBuffer output = new StringBuffer();

  private ParleyProcess(Process process) {
    this.process = process;
  }

  /** Starts the jar on loopback with {@code options} and waits at most 30 s until it is ready. */
  static ParleyProcess start(String... options) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString(), "--host", "127.0.0.1"));
    command.addAll(List.of(options));
    ParleyProcess parley = new ParleyProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(parley.process.getInputStream(), UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          parley.output.append(line).append('\n');
          if (line.contains("Parley is ready")) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        // The process is gone: reported below.
      }
      ready.completeExceptionally(new AssertionError("the server exited before it was ready:\n" + parley.output));
    }, "parley-process-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(30, SECONDS);
    } catch (TimeoutException e) {
      parley.close();
      throw new AssertionError("the server was not ready within 30 s:\n" + parley.output);
    }
    return parley;
  }

  /** Kills it with SIGKILL (no shutdown hook runs, nothing is written on the way out) and waits for its end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, SECONDS)) {
      throw new AssertionError("the killed server did not exit within 10 s");
    }
  }

  /** What it logged so far. */
  String output() {
    return output.toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, SECONDS);
  }
}
