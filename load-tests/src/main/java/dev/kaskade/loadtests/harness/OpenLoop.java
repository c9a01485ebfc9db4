package dev.kaskade.loadtests.harness;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * Sends at a fixed rate regardless of how fast answers come (open loop), and measures each call
 * from its intended start time so that a stall shows up in the percentiles (no coordinated
 * omission). At most {@code maxOutstanding} calls are in flight; beyond that the call counts as an
 * error.
 */
public final class OpenLoop {
  private OpenLoop() {}

  /**
   * Runs {@code call(i)} at {@code ratePerSecond} for {@code duration} and records into the
   * recorder. Returns the number of calls started.
   */
  public static long run(
      double ratePerSecond,
      Duration duration,
      int maxOutstanding,
      LatencyRecorder recorder,
      LongFunction<CompletableFuture<?>> call)
      throws InterruptedException {
    long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Semaphore outstanding = new Semaphore(maxOutstanding);
    long total = duration.toNanos() / intervalNanos;
    CountDownLatch done = new CountDownLatch((int) total);
    long issued = 0;
    for (long i = 0; i < total; i++) {
      issued = i + 1;
      long intended = start + i * intervalNanos;
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!outstanding.tryAcquire()) {
        recorder.error();
        done.countDown();
        continue;
      }
      CompletableFuture<?> future;
      try {
        future = call.apply(i);
      } catch (RuntimeException e) {
        outstanding.release();
        recorder.error();
        done.countDown();
        continue;
      }
      future.whenComplete(
          (ok, error) -> {
            if (error == null) {
              recorder.record(System.nanoTime() - intended);
            } else {
              recorder.error();
            }
            outstanding.release();
            done.countDown();
          });
      if (System.nanoTime() > end + Duration.ofSeconds(5).toNanos()) {
        break;
      }
    }
    for (long skipped = issued; skipped < total; skipped++) {
      done.countDown(); // stopped early: never started, so nothing will count them down
    }
    done.await(60, TimeUnit.SECONDS);
    return issued;
  }

  /**
   * Closed loop: {@code concurrency} callers each issue the next call when the previous answers,
   * for {@code duration}. Returns completed calls per second.
   */
  public static double closedLoop(
      int concurrency,
      Duration duration,
      LatencyRecorder recorder,
      LongFunction<CompletableFuture<?>> call)
      throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    long start = System.nanoTime();
    CountDownLatch finished = new CountDownLatch(concurrency);
    java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    for (int c = 0; c < concurrency; c++) {
      issueNext(call, recorder, sequence, end, finished);
    }
    finished.await(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    return recorder.count() / seconds;
  }

  private static void issueNext(
      LongFunction<CompletableFuture<?>> call,
      LatencyRecorder recorder,
      java.util.concurrent.atomic.AtomicLong sequence,
      long end,
      CountDownLatch finished) {
    if (System.nanoTime() >= end) {
      finished.countDown();
      return;
    }
    long started = System.nanoTime();
    CompletableFuture<?> future;
    try {
      future = call.apply(sequence.getAndIncrement());
    } catch (RuntimeException e) {
      recorder.error();
      finished.countDown();
      return;
    }
    future.whenComplete(
        (ok, error) -> {
          if (error == null) {
            recorder.record(System.nanoTime() - started);
          } else {
            recorder.error();
          }
          issueNext(call, recorder, sequence, end, finished);
        });
  }
}
