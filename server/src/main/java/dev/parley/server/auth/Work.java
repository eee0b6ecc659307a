package dev.parley.server.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** How the account services run their blocking work and read the time. */
final class Work {
  private Work() {}

  /** {@code work} on {@code executor}; failed with {@code overloaded} when its queue is full. */
  static <T> CompletableFuture<T> on(Executor executor, Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Code.OVERLOADED,
          "the server is busy; retry later"));
    }
  }

  /** Now, to the millisecond: what the store keeps. */
  static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
