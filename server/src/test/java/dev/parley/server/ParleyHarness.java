package dev.parley.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts real Parley nodes on free ports with their data in a test's temporary folder. Rate
 * limits are set far above what a test sends (tests that send fast on purpose would otherwise
 * test the limits) and presence has no grace period; RateLimitIT and PresenceIT set their own,
 * as any {@code extra} option overrides these.
 */
final class ParleyHarness {
  private static final String UNLIMITED = "1000000";

  private ParleyHarness() {}

  static Parley start(Path dataDir, String... extra) {
    return Parley.start(config(dataDir, extra));
  }

  /** A node whose accounts, one-time codes and rate limits read time from {@code clock}. */
  static Parley start(Path dataDir, Clock clock, String... extra) {
    return Parley.start(config(dataDir, extra), clock);
  }

  private static Config config(Path dataDir, String... extra) {
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString()));
    args.addAll(testLimits());
    args.addAll(List.of(extra));
    return Config.parse(args.toArray(String[]::new), Map.of());
  }

  /** The limits every test node runs with (a node run as a process too). */
  static List<String> testLimits() {
    return List.of("--rate-messages", UNLIMITED, "--rate-message-burst", UNLIMITED, "--rate-requests", UNLIMITED,
        "--rate-connections", UNLIMITED, "--rate-sign-ins", UNLIMITED, "--rate-auth", UNLIMITED,
        // Offline at once, so that tests about presence need not wait: PresenceIT tests the grace.
        "--presence-grace", "0");
  }
}
