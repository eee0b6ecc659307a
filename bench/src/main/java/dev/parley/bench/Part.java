package dev.parley.bench;

/**
 * What one generator process does in a scenario. Lifecycle: {@link #prepare} (connect and set
 * up clients), {@link #start} (send on the shared {@link Schedule}), {@link #stopAfter} (the
 * coordinator saw enough), {@link #report}, {@link #close}.
 */
public interface Part extends AutoCloseable {

  /** Connects this process's clients and sets them up; returns when they are ready. */
  void prepare() throws Exception;

  /** Starts sending on the schedule that begins at {@code startMicros}. */
  default void start(long startMicros) {}

  /** Sends nothing after {@code step}. */
  default void stopAfter(int step) {}

  /**
   * What the coordinator tells every process when it stops, for its report (a scenario that
   * needs it defines the text); called after {@link #stopAfter}. Nothing by default.
   */
  default void conclude(String note) {}

  /** What this process measured, for steps up to {@code lastStep}. */
  PartReport report(int lastStep);

  @Override
  void close();
}
