package dev.parley.server;

import dev.parley.server.chat.MessageWriter;
import dev.parley.server.limits.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Parley's Prometheus metrics, served at {@code /metrics}. */
final class Metrics implements MessageWriter.Observer {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Timer commit;
  private final Timer delivery;
  private final Counter commitFailures;

  Metrics(Supplier<Number> connections, Supplier<Number> writeBacklog) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Gauge.builder("parley.connections", connections).description("open client connections").register(registry);
    Gauge.builder("parley.write.backlog", writeBacklog).description("messages waiting to be stored")
        .register(registry);
    messagesIn = Counter.builder("parley.messages.in").description("messages stored").register(registry);
    messagesOut = Counter.builder("parley.messages.out").description("messages handed out for delivery to rooms")
        .register(registry);
    commitFailures = Counter.builder("parley.db.commit.failures").description("batches the database refused")
        .register(registry);
    commit = Timer.builder("parley.db.commit").description("time to store one batch of messages")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    delivery = Timer.builder("parley.delivery.latency")
        .description("time from a message's commit to its hand-off to the recipients' connections")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
  }

  @Override
  public void committed(int batchSize, long nanos) {
    messagesIn.increment(batchSize);
    commit.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void failed(int batchSize) {
    commitFailures.increment();
  }

  void delivered(long storedAtMillis) {
    messagesOut.increment();
    delivery.record(Math.max(0, System.currentTimeMillis() - storedAtMillis), TimeUnit.MILLISECONDS);
  }

  /** Counts what {@code limiter} refuses, by kind. */
  void watch(RateLimiter limiter) {
    FunctionCounter.builder("parley.rate.limited", limiter, RateLimiter::refusedMessages).tag("kind", "message")
        .description("requests refused by a rate limit").register(registry);
    FunctionCounter.builder("parley.rate.limited", limiter, RateLimiter::refusedRequests).tag("kind", "request")
        .description("requests refused by a rate limit").register(registry);
    FunctionCounter.builder("parley.rate.limited", limiter, RateLimiter::refusedConnections).tag("kind", "connection")
        .description("requests refused by a rate limit").register(registry);
    FunctionCounter.builder("parley.rate.limited", limiter, RateLimiter::refusedSignIns).tag("kind", "sign_in")
        .description("requests refused by a rate limit").register(registry);
    FunctionCounter.builder("parley.rate.limited", limiter, RateLimiter::refusedEmailCodes).tag("kind", "email_code")
        .description("requests refused by a rate limit").register(registry);
  }

  String scrape() {
    return registry.scrape();
  }
}
