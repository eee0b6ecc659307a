package dev.parley.server.chat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** Runs store work off the caller's thread, turning a full executor into {@code overloaded}. */
final class Futures {
  private Futures() {}

  static <T> CompletableFuture<T> async(Executor executor, Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (RejectedExecutionException e) {
      return failed(new ChatException(ChatException.Code.OVERLOADED, "the server is busy; retry later"));
    }
  }

  static <T> CompletableFuture<T> failed(Throwable e) {
    return CompletableFuture.failedFuture(e);
  }
}
