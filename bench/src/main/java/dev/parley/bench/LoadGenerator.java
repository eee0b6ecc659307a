package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * The load generator: runs one scenario against one server and prints (and optionally writes)
 * its result as JSON. Started by {@code bench/run.sh}; see {@link GeneratorOptions#usage()}.
 *
 * <p>With {@code --share i/n} it is a worker started by a coordinator (see {@link Workers}).
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  /** The scenarios this generator knows, by name. */
  public static final List<String> SCENARIOS = List.of("idle", "fanout", "fanout10k", "rooms", "dm", "durable",
      "durable-pg", "history", "reconnect", "cluster");

  public static void main(String[] args) throws Exception {
    GeneratorOptions options;
    try {
      options = GeneratorOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ObjectMapper mapper = new ObjectMapper();
    BenchContext ctx = new BenchContext(options, mapper, MicroClock.wall());
    Scenario scenario = scenario(ctx);
    if (!options.share().coordinator()) {
      runWorker(scenario, options, mapper);
      System.exit(0);
    }
    ScenarioResult result = scenario.run();
    String json = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(result);
    if (options.out().isPresent()) {
      Files.writeString(options.out().get(), json);
    }
    System.out.println(json);
    System.exit(0);
  }

  static Scenario scenario(BenchContext ctx) {
    return switch (ctx.options().scenario()) {
      case "idle" -> new IdleScenario(ctx);
      case "fanout" -> new FanoutScenario(ctx, "fanout", 1_000, 1_000, 50);
      case "fanout10k" -> new FanoutScenario(ctx, "fanout10k", 10_000, 3_000, 250);
      case "rooms" -> new RoomsScenario(ctx);
      case "dm" -> new DmScenario(ctx);
      case "durable", "durable-pg" -> new DurableScenario(ctx, ctx.options().scenario());
      case "history" -> new HistoryScenario(ctx);
      case "reconnect" -> new ReconnectScenario(ctx);
      case "cluster" -> new ClusterScenario(ctx);
      default -> throw new IllegalArgumentException("unknown scenario " + ctx.options().scenario()
          + "; known: " + SCENARIOS);
    };
  }

  /** A worker: prepare, say READY, start and stop when told, then print the report. */
  private static void runWorker(Scenario scenario, GeneratorOptions options, ObjectMapper mapper) throws Exception {
    mapper.disable(SerializationFeature.INDENT_OUTPUT);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (Part part = scenario.part(options.share())) {
      part.prepare();
      System.out.println("READY");
      System.out.flush();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("START ")) {
          part.start(Long.parseLong(line.substring(6).trim()));
        } else if (line.startsWith("STOP ")) {
          String[] words = line.substring(5).trim().split(" ", 2);
          int lastStep = Integer.parseInt(words[0]);
          part.stopAfter(lastStep);
          part.conclude(words.length > 1 ? words[1] : "");
          Thread.sleep(1_000);
          System.out.println("RESULT " + mapper.writeValueAsString(part.report(lastStep)));
          System.out.flush();
          return;
        }
      }
    }
  }
}
