package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web app in a real browser: runs the scenarios of web/e2e (headless Debian Chromium driven
 * by playwright-core) against a real Parley serving the built app and, through --public-dir, a
 * page written the tutorial's way.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class BrowserIT {
  private static final Path WEB = Path.of("..", "web").toAbsolutePath().normalize();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir
  Path dataDir;
  Parley parley;

  @BeforeEach
  void start() {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean ready = Files.isExecutable(CHROMIUM) && Files.isDirectory(WEB.resolve("node_modules/playwright-core"));
    if (!ready && ci) {
      throw new AssertionError("browser tests need /usr/bin/chromium (apt-get install -y chromium) and "
          + "web/node_modules (built by the web module)");
    }
    assumeTrue(ready, "skipped: Chromium or web/node_modules missing (install chromium, build the web module)");
    parley = ParleyHarness.start(dataDir, "--public-dir", WEB.resolve("e2e/tutorial-public").toString());
  }

  @AfterEach
  void stop() {
    if (parley != null) {
      parley.close();
    }
  }

  @Test
  void everyBrowserScenarioPasses() throws IOException, InterruptedException {
    Path log = dataDir.resolve("e2e.log");
    Process node = new ProcessBuilder("node", "e2e/run-all.mjs", "http://127.0.0.1:" + parley.port())
        .directory(WEB.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    boolean finished = node.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      node.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(finished).as("browser scenarios finished in time:\n%s", output).isTrue();
    assertThat(node.exitValue()).as("browser scenarios:\n%s", output).isZero();
    assertThat(output).contains("0 failed");
  }
}
