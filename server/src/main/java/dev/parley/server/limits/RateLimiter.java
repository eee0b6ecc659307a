package dev.parley.server.limits;

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
 * requests per user, new connections per client address, sign-in attempts per account and
 * per address, and emails with one-time codes per account. A refused action learns how long
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
   * @param signInsPerAccount sign-in attempts on one account per five minutes, also the burst
   * @param authAttemptsPerMinute sign-in and registration attempts per client address per
   *     minute, also the burst
   */
  public record Limits(int messagesPerSecond, int messageBurst, int requestsPerSecond, int connectionsPerMinute,
      int signInsPerAccount, int authAttemptsPerMinute) {
    public Limits {
      if (messagesPerSecond <= 0 || messageBurst <= 0 || requestsPerSecond <= 0 || connectionsPerMinute <= 0
          || signInsPerAccount <= 0 || authAttemptsPerMinute <= 0) {
        throw new IllegalArgumentException("rate limits must be positive: " + this);
      }
    }

    /**
     * The defaults: 10 messages a second with bursts of 20, 50 requests a second, 300 new
     * connections a minute, 10 sign-ins per account per 5 minutes, 30 sign-ins and
     * registrations per address a minute.
     */
    public static Limits defaults() {
      return new Limits(10, 20, 50, 300, 10, 30);
    }
  }

  /** Emails with a one-time code one account may have sent a minute. */
  public static final int EMAIL_CODES_PER_MINUTE = 1;
  /** Emails with a one-time code one account may have sent an hour. */
  public static final int EMAIL_CODES_PER_HOUR = 5;

  private final Limits limits;
  private final TimeMeter time;
  private final Map<Long, Bucket> messages = new ConcurrentHashMap<>();
  private final Map<Long, Bucket> requests = new ConcurrentHashMap<>();
  private final Map<String, Bucket> connections = new ConcurrentHashMap<>();
  private final Map<String, Bucket> signIns = new ConcurrentHashMap<>();
  private final Map<String, Bucket> authAttempts = new ConcurrentHashMap<>();
  private final Map<Long, Bucket> emailCodesPerMinute = new ConcurrentHashMap<>();
  private final Map<Long, Bucket> emailCodesPerHour = new ConcurrentHashMap<>();
  private final LongAdder refusedMessages = new LongAdder();
  private final LongAdder refusedRequests = new LongAdder();
  private final LongAdder refusedConnections = new LongAdder();
  private final LongAdder refusedSignIns = new LongAdder();
  private final LongAdder refusedEmailCodes = new LongAdder();

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
    return connection(hostOf(address));
  }

  /**
   * Takes one sign-in attempt on the account named {@code name} (any case) from {@code address}:
   * both the account's and the address's budget must allow it. Guessing passwords is slow either
   * way: many accounts from one address, or one account from many.
   */
  public Optional<Duration> signIn(String name, InetSocketAddress address) {
    Optional<Duration> byAddress = authAttempt(address);
    if (byAddress.isPresent()) {
      return byAddress;
    }
    String key = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
    return take(refusedSignIns, signIns.computeIfAbsent(key, k -> bucket(
        Bandwidth.builder().capacity(limits.signInsPerAccount())
            .refillGreedy(limits.signInsPerAccount(), Duration.ofMinutes(5)).build())));
  }

  /** Takes one registration (or other credential-checking) attempt from {@code address}. */
  public Optional<Duration> authAttempt(InetSocketAddress address) {
    String key = address == null ? "" : hostOf(address);
    return take(refusedSignIns, authAttempts.computeIfAbsent(key, k -> bucket(
        Bandwidth.builder().capacity(limits.authAttemptsPerMinute())
            .refillGreedy(limits.authAttemptsPerMinute(), Duration.ofMinutes(1)).build())));
  }

  /**
   * Takes one email with a one-time code for the account {@code userId}: at most
   * {@link #EMAIL_CODES_PER_MINUTE} a minute and {@link #EMAIL_CODES_PER_HOUR} an hour. Mail
   * costs the server's reputation with mail providers and floods the recipient, so these are fixed.
   */
  public Optional<Duration> emailCode(long userId) {
    Bucket minute = emailCodesPerMinute.computeIfAbsent(userId, k -> bucket(Bandwidth.builder()
        .capacity(EMAIL_CODES_PER_MINUTE).refillIntervally(EMAIL_CODES_PER_MINUTE, Duration.ofMinutes(1)).build()));
    Bucket hour = emailCodesPerHour.computeIfAbsent(userId, k -> bucket(Bandwidth.builder()
        .capacity(EMAIL_CODES_PER_HOUR).refillGreedy(EMAIL_CODES_PER_HOUR, Duration.ofHours(1)).build()));
    Optional<Duration> wait = take(refusedEmailCodes, minute);
    if (wait.isPresent()) {
      return wait;
    }
    wait = take(refusedEmailCodes, hour);
    // Refused by the hour: the minute's token was not spent on anything.
    wait.ifPresent(w -> minute.addTokens(1));
    return wait;
  }

  /** The client's host, without its port: the key of the per-address buckets. */
  private static String hostOf(InetSocketAddress address) {
    return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
  }

  /** Forgets the buckets that are full again: their owners are within every limit. */
  public void sweep() {
    messages.values().removeIf(b -> b.getAvailableTokens() >= limits.messageBurst());
    requests.values().removeIf(b -> b.getAvailableTokens() >= 2L * limits.requestsPerSecond());
    connections.values().removeIf(b -> b.getAvailableTokens() >= limits.connectionsPerMinute());
    signIns.values().removeIf(b -> b.getAvailableTokens() >= limits.signInsPerAccount());
    authAttempts.values().removeIf(b -> b.getAvailableTokens() >= limits.authAttemptsPerMinute());
    emailCodesPerMinute.values().removeIf(b -> b.getAvailableTokens() >= EMAIL_CODES_PER_MINUTE);
    emailCodesPerHour.values().removeIf(b -> b.getAvailableTokens() >= EMAIL_CODES_PER_HOUR);
  }

  /** How many buckets are held, for tests and metrics. */
  public int size() {
    return messages.size() + requests.size() + connections.size() + signIns.size() + authAttempts.size()
        + emailCodesPerMinute.size() + emailCodesPerHour.size();
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

  /** Sign-in and registration attempts refused so far. */
  public long refusedSignIns() {
    return refusedSignIns.sum();
  }

  /** Emails with a one-time code refused so far. */
  public long refusedEmailCodes() {
    return refusedEmailCodes.sum();
  }

  /** New connections refused so far. */
  public long refusedConnections() {
    return refusedConnections.sum();
  }
}
