package dev.kaskade.processors.kafka;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The calls a {@link RequestReplyClient} awaits, by correlation id: at most {@code maxInFlight} at
 * once (more fail at once with RESOURCE_EXHAUSTED instead of growing the heap), each with a
 * deadline timer that is cancelled (and removed from the timer queue) as soon as the call ends.
 */
final class PendingCalls implements AutoCloseable {
  private final int maxInFlight;

  /** Reserved before a call is registered, returned when it ends: the cap holds under races. */
  private final Semaphore slots;

  private final Map<String, CompletableFuture<InferenceResponse>> pending =
      new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timer;

  PendingCalls(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    this.slots = new Semaphore(maxInFlight);
    this.timer =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("reply-deadlines").unstarted(r));
    timer.setRemoveOnCancelPolicy(true);
  }

  /** A future for the call, or one already failed when too many calls are in flight. */
  CompletableFuture<InferenceResponse> register(
      String correlation, Duration timeout, String timeoutMessage) {
    if (!slots.tryAcquire()) {
      return CompletableFuture.failedFuture(
          new KaskadeException(
              Reason.RESOURCE_EXHAUSTED,
              maxInFlight
                  + " model calls in flight (setting "
                  + RequestReplyClient.MAX_IN_FLIGHT
                  + "); retry later"));
    }
    CompletableFuture<InferenceResponse> future = new CompletableFuture<>();
    future.whenComplete((r, e) -> slots.release());
    pending.put(correlation, future);
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> fail(correlation, new KaskadeException(Reason.DEADLINE_EXCEEDED, timeoutMessage)),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    future.whenComplete((r, e) -> deadline.cancel(false));
    return future;
  }

  /** Completes the call; false when it is unknown (late, or not ours). */
  boolean complete(String correlation, InferenceResponse response) {
    CompletableFuture<InferenceResponse> future =
        correlation == null ? null : pending.remove(correlation);
    return future != null && future.complete(response);
  }

  void fail(String correlation, Throwable error) {
    CompletableFuture<InferenceResponse> future =
        correlation == null ? null : pending.remove(correlation);
    if (future != null) {
      future.completeExceptionally(error);
    }
  }

  boolean isPending(String correlation) {
    return correlation != null && pending.containsKey(correlation);
  }

  int size() {
    return pending.size();
  }

  /** Deadline timers still queued (for tests: a finished call leaves none behind). */
  int timers() {
    return timer.getQueue().size();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    pending.values().forEach(f -> f.completeExceptionally(KaskadeException.unavailable("closed")));
    pending.clear();
  }
}
