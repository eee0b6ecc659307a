package dev.parley.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection-state recovery on {@code /chat} across a restart of the server, with the official
 * Node.js client: once after a graceful stop, once after the process was killed with SIGKILL
 * (the server jar run as a process of its own). Either way the client gets its socket back
 * ({@code socket.recovered}) and every message of its rooms it missed, in order, once.
 */
@Timeout(value = 90, unit = SECONDS)
class RestartRecoveryIT {
  private static final Path JAR = Path.of(System.getProperty("basedir", "")).resolve("target/parley.jar");

  @TempDir
  Path dataDir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private NodeScript script;

  @RegisterExtension
  final TestWatcher transcripts = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (script != null) {
        System.out.println(script.transcript());
      }
    }
  };

  @BeforeAll
  static void nodeClientInstalled() {
    NodeScript.requireClient();
  }

  @AfterEach
  void stop() throws Exception {
    if (script != null) {
      script.close();
    }
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  @Test
  void aClientRecoversItsSessionAfterAGracefulRestart() throws Exception {
    int port = freePort();
    Parley first = ParleyHarness.start(dataDir, "--port", Integer.toString(port));
    script = NodeScript.start("recovery-restart.js", "http://127.0.0.1:" + port, "missed=3");
    script.expect("ready");
    first.close();
    running.add(ParleyHarness.start(dataDir, "--port", Integer.toString(port)));
    script.send("restarted");
    checkRecovered(script);
  }

  @Test
  void aClientRecoversItsSessionAfterTheServerWasKilled() throws Exception {
    assertThat(JAR).as("the server jar, built in the package phase").exists();
    int port = freePort();
    Process first = startJar(port);
    script = NodeScript.start("recovery-restart.js", "http://127.0.0.1:" + port, "missed=3");
    script.expect("ready");
    first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing written on the way out
    assertThat(first.waitFor(10, SECONDS)).as("the killed server exits").isTrue();
    startJar(port);
    script.send("restarted");
    checkRecovered(script);
  }

  private static void checkRecovered(NodeScript script) throws Exception {
    JsonNode reconnected = script.expect("reconnected");
    JsonNode result = script.expect("result");
    script.awaitSuccess();

    assertThat(reconnected.get("recovered").asBoolean()).as("socket.recovered: %s", reconnected).isTrue();
    assertThat(reconnected.get("id").asText()).as("the same socket").isEqualTo(reconnected.get("firstId").asText());
    assertThat(result.get("disconnects")).hasSize(1);

    RecoveryChecks.missedOnceInOrderThenNew(result);
  }

  // ---- the server as a process of its own ------------------------------------------------------

  private Process startJar(int port) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "-jar", JAR.toString(), "--host", "127.0.0.1",
        "--port", Integer.toString(port), "--data-dir", dataDir.toString())
        .redirectErrorStream(true).start();
    running.add(() -> {
      process.destroyForcibly();
      process.waitFor(10, SECONDS);
    });
    // Ready once it logs that it is: the line comes after the port is bound.
    StringBuffer output = new StringBuffer();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          output.append(line).append('\n');
          if (line.contains("Parley is ready")) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        // The process is gone: reported below.
      }
      ready.completeExceptionally(new AssertionError("the server exited before it was ready:\n" + output));
    }, "parley-" + port + "-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(30, SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the server was not ready within 30 s:\n" + output);
    }
    return process;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
