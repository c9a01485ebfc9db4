package dev.kaskade.gateway;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * What the gateway does with a failure it did not expect (a bug, not a bad request): the client
 * gets a fixed message without the exception's class or text (which can name topics, paths or
 * classes), and the log gets the stack trace at most once per interval with a count of the ones
 * left out, so a client repeating a request that triggers the bug cannot flood the log.
 */
public final class UnexpectedFailures {
  /** The message clients get; REST, gRPC and the worker's own errors keep their own texts. */
  public static final String CLIENT_MESSAGE =
      "Internal error in the gateway; the operator can find the cause in the gateway log.";

  private static final long INTERVAL_MS = 10_000;
  private static final UnexpectedFailures SHARED =
      new UnexpectedFailures(INTERVAL_MS, System::currentTimeMillis);

  private final long intervalMs;
  private final LongSupplier clock;
  private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  UnexpectedFailures(long intervalMs, LongSupplier clock) {
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  /** Logs through the gateway-wide limiter and returns {@link #CLIENT_MESSAGE}. */
  public static String report(Logger log, String what, Throwable failure) {
    SHARED.log(log, what, failure);
    return CLIENT_MESSAGE;
  }

  /** Logs the failure with its stack trace unless one was logged within the interval. */
  void log(Logger log, String what, Throwable failure) {
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
  long take() {
    long now = clock.getAsLong();
    long next = nextLogAt.get();
    if (now < next || !nextLogAt.compareAndSet(next, now + intervalMs)) {
      suppressed.incrementAndGet();
      return -1;
    }
    return suppressed.getAndSet(0);
  }
}
