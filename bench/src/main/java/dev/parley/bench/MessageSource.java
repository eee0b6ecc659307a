package dev.parley.bench;

/** Sends the messages a {@link Pacer} asks for. Called on the pacer's event loop. */
@FunctionalInterface
public interface MessageSource {

  /**
   * Sends {@code count} messages now, tagged with {@code step}.
   *
   * @param sentAtMicros the {@link MicroClock} time to write into them
   */
  void send(int step, int count, long sentAtMicros);
}
