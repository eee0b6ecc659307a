package dev.parley.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    RecoveryChecks.recoveredAfterTheRestart(script);
  }

  @Test
  void aClientRecoversItsSessionAfterTheServerWasKilled() throws Exception {
    assertThat(ParleyProcess.JAR).as("the server jar, built in the package phase").exists();
    int port = freePort();
    ParleyProcess first = startJar(port);
    script = NodeScript.start("recovery-restart.js", "http://127.0.0.1:" + port, "missed=3");
    script.expect("ready");
    first.kill();
    startJar(port);
    script.send("restarted");
    RecoveryChecks.recoveredAfterTheRestart(script);
  }

  private ParleyProcess startJar(int port) throws Exception {
    ParleyProcess process = ParleyProcess.start("--port", Integer.toString(port), "--data-dir", dataDir.toString());
    running.add(process);
    return process;
  }

  private static int freePort() throws IOException {
    return ParleyProcess.freePort();
  }
}
