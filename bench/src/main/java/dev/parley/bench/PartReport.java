package dev.parley.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What one generator process measured, sent by workers to the coordinator as one JSON line.
 *
 * @param cpuSeconds CPU time the process used
 * @param clients clients it connected
 * @param disconnects clients the server disconnected while measuring
 * @param steps per-step sends and latencies
 * @param counts further counts of the scenario (lost and duplicated messages, say)
 */
public record PartReport(double cpuSeconds, int clients, int disconnects, List<StepPart> steps,
    Map<String, Long> counts) {

  public PartReport {
    steps = List.copyOf(steps);
    counts = counts == null ? Map.of() : Map.copyOf(counts);
  }

  /** A report without further counts. */
  public PartReport(double cpuSeconds, int clients, int disconnects, List<StepPart> steps) {
    this(cpuSeconds, clients, disconnects, steps, Map.of());
  }

  /** A count, 0 when absent. */
  public long count(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /**
   * One step of one process.
   *
   * @param sent messages this process sent in the step
   * @param latencies HdrHistogram of its deliveries, compressed and Base64-encoded
   */
  public record StepPart(int step, long sent, String latencies) {

    /** Encodes a histogram for {@link #latencies}. */
    public static StepPart of(int step, long sent, Histogram histogram) {
      ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
      int length = histogram.encodeIntoCompressedByteBuffer(buffer);
      return new StepPart(step, sent, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
    }

    /** Decodes {@link #latencies}. */
    public Histogram histogram() {
      try {
        return Histogram.decodeFromCompressedByteBuffer(
            ByteBuffer.wrap(Base64.getDecoder().decode(latencies)), StepLatencies.MAX_MICROS);
      } catch (DataFormatException e) {
        throw new IllegalStateException("corrupt histogram in worker report", e);
      }
    }
  }
}
