package dev.parley.server.gateway;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Token buckets (Bucket4j) against floods: messages per user over all their connections, other
 * requests per user, and new connections per client address. A refused action learns how long
 * to wait. Buckets that are full again are dropped by {@link #sweep}, so memory follows the
 * active users, not every user ever seen. Thread-safe; never blocks.
 */
public final class RateLimiter {
  /**
   * The limits.
   *
   * @param messagesPerSecond messages a user may send per second, sustained
   * @param messageBurst messages a user may send at once after a quiet while
   * @param requestsPerSecond other requests (history, rooms, …) per user per second, sustained;
   *     bursts of twice as many
   * @param connectionsPerMinute new connections per client address per minute, also the burst
   */
  public record Limits(int messagesPerSecond, int messageBurst, int requestsPerSecond, int connectionsPerMinute) {
    public Limits {
      if (messagesPerSecond <= 0 || messageBurst <= 0 || requestsPerSecond <= 0 || connectionsPerMinute <= 0) {
        throw new IllegalArgumentException("rate limits must be positive: " + this);
      }
    }

    /** The defaults: 10 messages a second with bursts of 20, 50 requests, 300 connections a minute. */
    public static Limits defaults() {
      return new Limits(10, 20, 50, 300);
    }
  }

  private final Limits limits;
  private final TimeMeter time;
  private final Map<Long, Bucket> messages = new ConcurrentHashMap<>();
  private final Map<Long, Bucket> requests = new ConcurrentHashMap<>();
  private final Map<String, Bucket> connections = new ConcurrentHashMap<>();
  private final LongAdder refusedMessages = new LongAdder();
  private final LongAdder refusedRequests = new LongAdder();
  private final LongAdder refusedConnections = new LongAdder();

  public RateLimiter(Limits limits) {
    this(limits, TimeMeter.SYSTEM_NANOTIME);
  }

  /** A limiter reading time from {@code time}, for tests. */
  public RateLimiter(Limits limits, TimeMeter time) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.time = Objects.requireNonNull(time, "time");
  }

  /** Takes one message of {@code userId}; empty if allowed, else how long until it would be. */
  public Optional<Duration> message(long userId) {
    return take(refusedMessages, messages.computeIfAbsent(userId, k -> bucket(
        Bandwidth.builder().capacity(limits.messageBurst())
            .refillGreedy(limits.messagesPerSecond(), Duration.ofSeconds(1)).build())));
  }

  /** Takes one request of {@code userId}; empty if allowed, else how long until it would be. */
  public Optional<Duration> request(long userId) {
    return take(refusedRequests, requests.computeIfAbsent(userId, k -> bucket(
        Bandwidth.builder().capacity(2L * limits.requestsPerSecond())
            .refillGreedy(limits.requestsPerSecond(), Duration.ofSeconds(1)).build())));
  }

  /** Takes one new connection from {@code address}; empty if allowed, else how long to wait. */
  public Optional<Duration> connection(String address) {
    return take(refusedConnections, connections.computeIfAbsent(address, k -> bucket(
        Bandwidth.builder().capacity(limits.connectionsPerMinute())
            .refillGreedy(limits.connectionsPerMinute(), Duration.ofMinutes(1)).build())));
  }

  /** Takes one new connection from the host of {@code address} (its port does not count). */
  public Optional<Duration> connection(InetSocketAddress address) {
    if (address == null) {
      return Optional.empty();
    }
    return connection(address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString());
  }

  /** Forgets the buckets that are full again: their owners are within every limit. */
  public void sweep() {
    messages.values().removeIf(b -> b.getAvailableTokens() >= limits.messageBurst());
    requests.values().removeIf(b -> b.getAvailableTokens() >= 2L * limits.requestsPerSecond());
    connections.values().removeIf(b -> b.getAvailableTokens() >= limits.connectionsPerMinute());
  }

  /** How many buckets are held, for tests and metrics. */
  public int size() {
    return messages.size() + requests.size() + connections.size();
  }

  private Bucket bucket(Bandwidth bandwidth) {
    return Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(time).build();
  }

  private static Optional<Duration> take(LongAdder refusals, Bucket bucket) {
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return Optional.empty();
    }
    refusals.increment();
    return Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }

  /** Messages refused so far. */
  public long refusedMessages() {
    return refusedMessages.sum();
  }

  /** Other requests refused so far. */
  public long refusedRequests() {
    return refusedRequests.sum();
  }

  /** New connections refused so far. */
  public long refusedConnections() {
    return refusedConnections.sum();
  }
}
