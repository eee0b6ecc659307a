package dev.parley.bench;

/**
 * One benchmark. The coordinator process calls {@link #run}; every process, coordinator and
 * workers alike, runs one {@link #part} of it.
 */
public interface Scenario {

  /** The name used on the command line and in the table. */
  String name();

  /** Clients all processes open together; decides how many generator processes run. */
  int totalClients();

  /** What the process with {@code share} does. */
  Part part(Share share);

  /** Runs the whole scenario from the coordinator and returns its result. */
  ScenarioResult run() throws Exception;
}
