package dev.parley.bench;

/**
 * Which part of a scenario one generator process runs: process {@code index} of {@code count}.
 * Process 0 is the coordinator, which also decides when the ramp stops and writes the result.
 */
public record Share(int index, int count) {
  public Share {
    if (count <= 0 || index < 0 || index >= count) {
      throw new IllegalArgumentException("share must be index/count with 0 <= index < count: " + index + "/" + count);
    }
  }

  /** The only share when one process runs everything. */
  public static Share whole() {
    return new Share(0, 1);
  }

  /** Parses {@code index/count}. */
  public static Share parse(String spec) {
    String[] parts = spec.split("/", 2);
    if (parts.length != 2) {
      throw new IllegalArgumentException("share must look like 1/3: " + spec);
    }
    return new Share(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
  }

  /** First of this share's items when {@code total} items are split as evenly as possible. */
  public int from(int total) {
    return (int) ((long) total * index / count);
  }

  /** End (exclusive) of this share's items. */
  public int to(int total) {
    return (int) ((long) total * (index + 1) / count);
  }

  /** How many of {@code total} items are this share's. */
  public int size(int total) {
    return to(total) - from(total);
  }

  /** Whether this is the coordinator's share. */
  public boolean coordinator() {
    return index == 0;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
