package dev.kaskade.schemas.error;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs failures nobody expected (bugs, not bad requests) at ERROR with their stack trace at most
 * once per interval, with a count of the ones left out, so a client repeating a request that
 * triggers a bug cannot flood the log. Thread-safe; the gateway and the model workers share it.
 */
public final class ThrottledErrorLog {
  /** How often a stack trace may be logged by {@link #everyTenSeconds()}. */
  public static final long DEFAULT_INTERVAL_MS = 10_000;

  private final long intervalMs;
  private final LongSupplier clock;
  private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public ThrottledErrorLog(long intervalMs, LongSupplier clock) {
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  /** One stack trace per {@link #DEFAULT_INTERVAL_MS} on the wall clock. */
  public static ThrottledErrorLog everyTenSeconds() {
    return new ThrottledErrorLog(DEFAULT_INTERVAL_MS, System::currentTimeMillis);
  }

  /** Logs the failure with its stack trace unless one was logged within the interval. */
  public void log(Logger log, String what, Throwable failure) {
    long left = take();
    if (left < 0) {
      return;
    }
    if (left > 0) {
      log.error(
          "{} ({} more unexpected failures not logged since the last one)", what, left, failure);
    } else {
      log.error(what, failure);
    }
  }

  /** -1 when this failure is not to be logged, else how many were left out before it. */
  public long take() {
    long now = clock.getAsLong();
    long next = nextLogAt.get();
    if (now < next || !nextLogAt.compareAndSet(next, now + intervalMs)) {
      suppressed.incrementAndGet();
      return -1;
    }
    return suppressed.getAndSet(0);
  }
}
