package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from {@code /proc} (Linux only). CPU time
 * counts user plus system time of all the process's threads, in seconds.
 */
public final class ProcessStats {
  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
  private static final double CLOCK_TICKS_PER_SECOND = 100.0;

  private ProcessStats() {}

  /** CPU seconds (user + system) used so far by process {@code pid}. */
  public static double cpuSeconds(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long userTicks = Long.parseLong(fields[11]);   // field 14 of proc(5)
    long systemTicks = Long.parseLong(fields[12]); // field 15
    return (userTicks + systemTicks) / CLOCK_TICKS_PER_SECOND;
  }

  /** CPU seconds used so far by this process. */
  public static double selfCpuSeconds() {
    return cpuSeconds(ProcessHandle.current().pid());
  }

  /** Resident set size of process {@code pid} in bytes. */
  public static long rssBytes(long pid) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
        return Long.parseLong(kb) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " (is the process still running?)", e);
    }
  }
}
