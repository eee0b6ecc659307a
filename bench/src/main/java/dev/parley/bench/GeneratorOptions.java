package dev.parley.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The load generator's command line, validated.
 *
 * @param scenario which scenario to run
 * @param server label of the server under test in the result ({@code parley}, {@code peer})
 * @param targets the server's address; several nodes of one cluster (scenario {@code cluster}) in
 *     the order their clients are split over them
 * @param serverPids the server's process ids, one per node, for their CPU time and RSS; empty if
 *     unknown
 * @param quick small sizes and short steps (a smoke run)
 * @param sources local addresses the client sockets bind to
 * @param ioThreads event loop threads of the generator
 * @param clientsPerProcess most clients one generator process opens (the open-file limit is 20,000)
 * @param out where to write the result as JSON; empty for stdout only
 * @param share which part this process runs (workers are started with {@code --share})
 * @param sizes scenario size overrides ({@code --clients}, {@code --members}, {@code --rooms},
 *     {@code --rate}, {@code --fanout-rate}, {@code --in-flight}, {@code --step-seconds})
 * @param args the command line as given, for starting workers
 */
public record GeneratorOptions(String scenario, String server, List<InetSocketAddress> targets,
    List<Long> serverPids, boolean quick, SourceAddresses sources, int ioThreads, int clientsPerProcess, Optional<Path> out, Share share,
    Map<String, Double> sizes, List<String> args) {

  private static final Set<String> SIZE_FLAGS = Set.of("clients", "members", "rooms", "rate", "fanout-rate",
      "in-flight", "step-seconds", "senders");

  public GeneratorOptions {
    targets = List.copyOf(targets);
    serverPids = List.copyOf(serverPids);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("--port needs at least one port");
    }
    if (ioThreads <= 0) {
      throw new IllegalArgumentException("--io-threads must be positive: " + ioThreads);
    }
    if (clientsPerProcess <= 0 || clientsPerProcess > 19_000) {
      throw new IllegalArgumentException("--clients-per-process must be between 1 and 19000 (open-file limit): "
          + clientsPerProcess);
    }
    sizes = Map.copyOf(sizes);
    args = List.copyOf(args);
  }

  /** The server's address, or its first node's. */
  public InetSocketAddress target() {
    return targets.get(0);
  }

  /** A size override, or {@code otherwise}. */
  public double size(String name, double otherwise) {
    return sizes.getOrDefault(name, otherwise);
  }

  /** The usage text. */
  public static String usage() {
    return String.join("\n",
        "usage: LoadGenerator --scenario NAME --port PORT [options]",
        "  scenarios: idle fanout fanout10k rooms dm (the tutorial events: ParleyBenchServer, the peer);",
        "             durable durable-pg history reconnect cluster",
        "             (the /chat namespace: parley.jar, the peer's --chat)",
        "  --port P[,P...]             server port; cluster: one per node, the clients split over them",
        "  --host ADDR                 server address (127.0.0.1)",
        "  --server NAME               label of the server in the result (server)",
        "  --server-pid PID[,PID...]   server processes (one per node), for their CPU time and RSS",
        "  --quick                     small sizes, short steps",
        "  --sources A-B               source addresses to bind (127.0.0.2-127.0.0.9)",
        "  --io-threads N              generator event loops (1)",
        "  --clients-per-process N     clients per generator process (15000)",
        "  --out FILE                  write the result as JSON",
        "  --clients N, --members N, --step-seconds S   override scenario sizes",
        "  --rooms N                   durable: rooms the senders are spread over (clients / 4)",
        "  --rate R                    history: pages/s (200); reconnect: messages/s of the sender (10)",
        "  --fanout-rate R             history: fan-out deliveries/s beside the pages (80000)",
        "  --in-flight N               reconnect: handshakes at a time in the storm (500)",
        "  --senders N                 cluster: members of the room that send, split over the nodes (20)");
  }

  /** Parses the command line. */
  public static GeneratorOptions parse(String[] argv) {
    Map<String, String> flags = new HashMap<>();
    boolean quick = false;
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg + "\n" + usage());
      }
      String name = arg.substring(2);
      if (name.equals("quick")) {
        quick = true;
      } else if (i + 1 < argv.length) {
        flags.put(name, argv[++i]);
      } else {
        throw new IllegalArgumentException(arg + " needs a value\n" + usage());
      }
    }
    String scenario = required(flags, "scenario");
    List<Integer> ports = numbers(required(flags, "port"), "--port").stream().map(Math::toIntExact).toList();
    Map<String, Double> sizes = new HashMap<>();
    for (String size : SIZE_FLAGS) {
      if (flags.containsKey(size)) {
        sizes.put(size, Double.parseDouble(flags.remove(size)));
      }
    }
    String host = flags.getOrDefault("host", "127.0.0.1");
    String pids = flags.get("server-pid");
    GeneratorOptions options = new GeneratorOptions(scenario, flags.getOrDefault("server", "server"),
        ports.stream().map(port -> new InetSocketAddress(host, port)).toList(),
        pids == null ? List.of() : numbers(pids, "--server-pid"),
        quick,
        SourceAddresses.parse(flags.getOrDefault("sources", "127.0.0.2-127.0.0.9")),
        Integer.parseInt(flags.getOrDefault("io-threads", "1")),
        Integer.parseInt(flags.getOrDefault("clients-per-process", "15000")),
        Optional.ofNullable(flags.get("out")).map(Path::of),
        flags.containsKey("share") ? Share.parse(flags.get("share")) : Share.whole(),
        sizes,
        workerArgs(argv));
    Set<String> known = Set.of("scenario", "port", "host", "server", "server-pid", "sources", "io-threads",
        "clients-per-process", "out", "share");
    for (String name : flags.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "\n" + usage());
      }
    }
    return options;
  }

  /** The command line without the options that only the coordinator uses. */
  private static List<String> workerArgs(String[] argv) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < argv.length; i++) {
      if (argv[i].equals("--out") || argv[i].equals("--share")) {
        i++;
      } else {
        args.add(argv[i]);
      }
    }
    return args;
  }

  /** A comma-separated list of whole numbers. */
  private static List<Long> numbers(String list, String flag) {
    List<Long> numbers = new ArrayList<>();
    for (String n : list.split(",", -1)) {
      try {
        numbers.add(Long.parseLong(n.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " takes numbers separated by commas: " + list);
      }
    }
    return numbers;
  }

  private static String required(Map<String, String> flags, String name) {
    String value = flags.remove(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required\n" + usage());
    }
    // Keep it for the unknown-option check.
    flags.put(name, value);
    return value;
  }
}
