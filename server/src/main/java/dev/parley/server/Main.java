package dev.parley.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command line: {@code java -jar parley.jar [options]} (see {@code --help}). */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
      System.out.print(Config.usage());
      return;
    }
    Config config;
    try {
      config = Config.parse(args, System.getenv());
    } catch (Config.UsageException e) {
      System.err.println("parley: " + e.getMessage());
      System.err.print(Config.usage());
      System.exit(2);
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(config.logLevel()));
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    Parley parley;
    try {
      parley = Parley.start(config);
    } catch (RuntimeException e) {
      log.error("Parley could not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Stopping: finishing pending writes and telling clients");
      parley.close();
      stopped.countDown();
    }, "shutdown"));
    log.info("Parley is ready: open {}://localhost:{}/ in a browser", parley.secure() ? "https" : "http", parley.port());
    stopped.await();
  }
}
