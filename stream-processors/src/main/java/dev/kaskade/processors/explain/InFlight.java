package dev.kaskade.processors.explain;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The explainer's in-flight cap: a permit is held for exactly as long as the explanation runs. It
 * is returned when the work ends (not when the caller's deadline passes, while the model call may
 * still run), and at once when the pool refuses the work.
 */
final class InFlight {
  private final Semaphore permits;

  InFlight(int max) {
    this.permits = new Semaphore(max);
  }

  /**
   * Starts {@code work} on {@code pool} holding a permit; empty when all permits are taken. The
   * returned future is the work's own: a timeout applied to it must go on a {@link
   * CompletableFuture#copy copy}, so that it does not release the permit early.
   */
  <T> CompletableFuture<T> start(Executor pool, Supplier<CompletableFuture<T>> work) {
    if (!permits.tryAcquire()) {
      return null;
    }
    CompletableFuture<T> running;
    try {
      running = CompletableFuture.supplyAsync(work, pool).thenCompose(f -> f);
    } catch (RuntimeException e) { // the pool refused it (shut down)
      permits.release();
      throw e;
    }
    running.whenComplete((ok, e) -> permits.release());
    return running;
  }

  /** Permits free now (for tests). */
  int available() {
    return permits.availablePermits();
  }
}
