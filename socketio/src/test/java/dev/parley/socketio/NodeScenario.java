package dev.parley.socketio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * A scenario client from {@code src/test/node}, run as {@code node <script> <url> key=value...}
 * with the official {@code socket.io-client}. The script prints one JSON object per line
 * ({@code {"type": ...}}); {@link #expect} waits, boundedly, for the next line of a type. Commands
 * go to its stdin with {@link #send}. Its stderr is kept and shown when something fails.
 *
 * <p>Lifecycle: running from {@link #start} until it exits; {@link #awaitSuccess} requires exit
 * code 0, {@link #close} kills it if it is still running.
 */
final class NodeScenario implements AutoCloseable {
  /** The folder with the scripts, package.json and node_modules, relative to the module. */
  static final Path DIR = Paths.get(System.getProperty("basedir", "")).resolve("src/test/node").toAbsolutePath();

  private static final Duration STEP = Duration.ofSeconds(10);
  private static final Duration EXIT = Duration.ofSeconds(10);
  private static final Duration INSTALL = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Queued after the last line of stdout. */
  private static final JsonNode END = JsonNodeFactory.instance.objectNode().put("type", "<end of output>");

  /** Whether {@link #requireClient()} succeeded; guarded by the class. */
  private static boolean clientReady;

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
  /** Every stdout line, for failure messages. */
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final StringBuffer stderr = new StringBuffer();
  private final Thread stdoutReader;
  private final Thread stderrReader;

  private NodeScenario(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), UTF_8);
    this.stdoutReader = reader(name + "-stdout", process.getInputStream(), line -> {
      stdout.add(line);
      try {
        JsonNode node = JSON.readTree(line);
        if (node instanceof ObjectNode) {
          lines.add(node);
        }
      } catch (IOException notJson) {
        // Kept in the transcript only.
      }
    }, () -> lines.add(END));
    this.stderrReader = reader(name + "-stderr", process.getErrorStream(),
        line -> stderr.append(line).append('\n'), () -> { });
  }

  /** Starts {@code node <script> <url> <params...>} in {@link #DIR}. */
  static NodeScenario start(String script, String url, String... params) {
    requireClient();
    List<String> command = new ArrayList<>(List.of("node", script, url));
    command.addAll(List.of(params));
    try {
      Process process = new ProcessBuilder(command).directory(DIR.toFile()).start();
      return new NodeScenario(script + " " + String.join(" ", params), process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The next line of type {@code type}, skipping lines of other types; fails after a bounded wait. */
  JsonNode expect(String type) throws InterruptedException {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode line = left > 0 ? lines.poll(left, NANOSECONDS) : null;
      if (line == null) {
        fail("Timed out after " + STEP.toSeconds() + " s waiting for a '" + type + "' line from " + describe());
      }
      if (line == END) {
        lines.add(END);
        process.waitFor(EXIT.toMillis(), MILLISECONDS);
        fail("Output ended before a '" + type + "' line from " + describe());
      }
      if (type.equals(line.path("type").asText())) {
        return line;
      }
    }
  }

  /** Writes one command line to the script's stdin. */
  void send(String command) throws IOException {
    stdin.write(command + "\n");
    stdin.flush();
  }

  /** Waits, boundedly, for the script to exit, and requires exit code 0. */
  void awaitSuccess() throws InterruptedException {
    if (!process.waitFor(EXIT.toMillis(), MILLISECONDS)) {
      fail("Timed out after " + EXIT.toSeconds() + " s waiting for the exit of " + describe());
    }
    stdoutReader.join(EXIT.toMillis());
    stderrReader.join(EXIT.toMillis());
    if (process.exitValue() != 0) {
      fail("Scenario failed: " + describe());
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(EXIT.toMillis(), MILLISECONDS);
    }
  }

  private String describe() {
    String exit = process.isAlive() ? "still running" : "exit code " + process.exitValue();
    List<String> out;
    synchronized (stdout) {
      out = List.copyOf(stdout);
    }
    return "node " + name + " (" + exit + ")\n--- stdout ---\n" + String.join("\n", out)
        + "\n--- stderr ---\n" + stderr;
  }

  private static Thread reader(String name, InputStream in, Consumer<String> onLine, Runnable onEnd) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          onLine.accept(line);
        }
      } catch (IOException e) {
        // The process is gone; what was read is kept.
      } finally {
        onEnd.run();
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  // ---- setup ---------------------------------------------------------------------------------

  /**
   * Makes sure Node.js and the {@code socket.io-client} version of package.json are there. Under
   * {@code CI=true} a missing one fails the test (CI runs {@code npm ci} in {@link #DIR} first);
   * elsewhere this runs {@code npm ci} once, and skips the test if that is not possible.
   */
  static synchronized void requireClient() {
    if (clientReady) {
      return;
    }
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    Outcome node = run(DIR.getParent(), Duration.ofSeconds(10), "node", "--version");
    if (node.exitCode() != 0) {
      unavailable(ci, "Node.js is not runnable (`node --version`: " + node.output() + ")");
    }
    String wanted = wantedClientVersion();
    if (!wanted.equals(installedClientVersion())) {
      if (ci) {
        fail("socket.io-client " + wanted + " is not installed in " + DIR
            + ": CI must run `npm ci` in that folder before the tests (.ci/run does)");
      }
      Outcome install = run(DIR, INSTALL, "npm", "ci", "--no-audit", "--no-fund");
      if (install.exitCode() != 0 || !wanted.equals(installedClientVersion())) {
        unavailable(false, "`npm ci` in " + DIR + " did not install socket.io-client " + wanted
            + " (exit code " + install.exitCode() + "): " + install.output());
      }
    }
    clientReady = true;
  }

  private static void unavailable(boolean ci, String why) {
    if (ci) {
      fail(why);
    }
    Assumptions.abort("Skipped, the Node.js client tests cannot run here: " + why);
  }

  private static String wantedClientVersion() {
    try {
      return JSON.readTree(DIR.resolve("package.json").toFile()).path("dependencies").path("socket.io-client").asText();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DIR.resolve("package.json"), e);
    }
  }

  private static String installedClientVersion() {
    Path installed = DIR.resolve("node_modules/socket.io-client/package.json");
    if (!Files.isRegularFile(installed)) {
      return "";
    }
    try {
      return JSON.readTree(installed.toFile()).path("version").asText();
    } catch (IOException e) {
      return "";
    }
  }

  private record Outcome(int exitCode, String output) {}

  /** Runs a command to its end within {@code timeout}; exit code -1 when it cannot run or hangs. */
  private static Outcome run(Path dir, Duration timeout, String... command) {
    try {
      Path log = Files.createTempFile("node-setup", ".log");
      try {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, SECONDS);
          return new Outcome(-1, "timed out after " + timeout.toSeconds() + " s: " + Files.readString(log));
        }
        return new Outcome(process.exitValue(), Files.readString(log).strip());
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return new Outcome(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "interrupted");
    }
  }
}
