package dev.parley.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts real Parley nodes on free ports with their data in a test's temporary folder. */
final class ParleyHarness {
  private ParleyHarness() {}

  static Parley start(Path dataDir, String... extra) {
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString()));
    args.addAll(List.of(extra));
    return Parley.start(Config.parse(args.toArray(String[]::new), Map.of()));
  }
}
