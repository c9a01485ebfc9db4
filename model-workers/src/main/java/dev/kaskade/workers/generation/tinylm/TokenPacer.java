package dev.kaskade.workers.generation.tinylm;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A simulated decode speed: every decode step lasts at least {@code interval}, as on a real model
 * whose forward pass takes that long (20 ms ≈ 50 tokens/s per stream, a 7B model on one GPU). The
 * tiny-lm computes a token in microseconds, so without it a few streams saturate the CPU and a
 * benchmark measures queueing instead of the serving path. A step that took longer than the
 * interval is not made up for later (no bursts), as a slow forward pass is not. Interval 0 (the
 * default) neither reads the clock nor sleeps.
 */
final class TokenPacer {
  /** Sleeps for a number of nanoseconds. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  static final TokenPacer NONE = new TokenPacer(0, System::nanoTime, TokenPacer::sleepNanos);

  private final long intervalNanos;
  private final LongSupplier clock;
  private final Sleeper sleeper;

  TokenPacer(long intervalNanos, LongSupplier clock, Sleeper sleeper) {
    if (intervalNanos < 0) {
      throw new IllegalArgumentException("negative token interval: " + intervalNanos + " ns");
    }
    this.intervalNanos = intervalNanos;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Real time: {@link System#nanoTime()} and {@link Thread#sleep(Duration)}. */
  static TokenPacer of(Duration interval) {
    return interval.isZero()
        ? NONE
        : new TokenPacer(interval.toNanos(), System::nanoTime, TokenPacer::sleepNanos);
  }

  long intervalNanos() {
    return intervalNanos;
  }

  /** When the first decode step starts (0 when not pacing). */
  long start() {
    return intervalNanos == 0 ? 0 : clock.getAsLong();
  }

  /**
   * Waits until the step that began at {@code stepStart} has lasted the interval.
   *
   * @return when the next step starts
   */
  long awaitStepEnd(long stepStart) throws InterruptedException {
    if (intervalNanos == 0) {
      return 0;
    }
    long left = stepStart + intervalNanos - clock.getAsLong();
    if (left > 0) {
      sleeper.sleep(left);
    }
    return clock.getAsLong();
  }

  private static void sleepNanos(long nanos) throws InterruptedException {
    Thread.sleep(Duration.ofNanos(nanos));
  }
}
