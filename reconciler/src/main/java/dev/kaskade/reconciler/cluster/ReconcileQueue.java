package dev.kaskade.reconciler.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile work queue, in the manner of controller-runtime's rate-limited queue: one thread
 * runs every task (so no two reconciles of a resource overlap); work is keyed by resource, and the
 * latest task of a key replaces an older one still waiting; a task that throws is run again after
 * {@link RetryBackoff}'s delay for its key instead of being dropped until the next spec change. New
 * work for a key runs at once (a pending retry is superseded), keeping the failure count until a
 * run succeeds.
 */
final class ReconcileQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileQueue.class);

  private final RetryBackoff backoff;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("reconcile").daemon().unstarted(r));
  // Touched only on the queue's thread.
  private final Map<String, Runnable> latest = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> retries = new HashMap<>();

  ReconcileQueue(RetryBackoff backoff) {
    this.backoff = backoff;
  }

  /** Runs the task for the key on the queue's thread, retrying it with backoff while it fails. */
  void submit(String key, Runnable task) {
    thread.execute(
        () -> {
          latest.put(key, task);
          ScheduledFuture<?> retry = retries.remove(key);
          if (retry != null) {
            retry.cancel(false);
          }
          run(key, task);
        });
  }

  private void run(String key, Runnable task) {
    if (latest.get(key) != task) {
      return; // superseded by newer work for the key, which runs (or ran) on its own
    }
    try {
      task.run();
      latest.remove(key);
      backoff.forget(key);
    } catch (RuntimeException e) {
      Instant next = backoff.failed(key);
      Duration wait = Duration.between(backoff.now(), next);
      LOG.warn(
          "reconcile of {} failed ({} in a row); retrying in {} ms: {}",
          key,
          backoff.failures(key),
          wait.toMillis(),
          e.toString());
      LOG.debug("reconcile of {} failed", key, e);
      retries.put(
          key,
          thread.schedule(
              () -> {
                retries.remove(key);
                run(key, task);
              },
              Math.max(0, wait.toNanos()),
              TimeUnit.NANOSECONDS));
    }
  }

  /**
   * How many retries are scheduled, read on the queue's thread after the work already queued: zero
   * proves nothing will run again, without sleeping past a retry time (tests).
   */
  int pendingRetries() {
    try {
      return thread.submit(retries::size).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the reconcile queue", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the reconcile queue", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
