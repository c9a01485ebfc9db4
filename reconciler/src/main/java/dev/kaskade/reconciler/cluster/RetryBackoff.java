package dev.kaskade.reconciler.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key exponential backoff of failed reconciles, as client-go's {@code
 * ItemExponentialFailureRateLimiter}: the n-th consecutive failure of a key waits {@code base *
 * 2^(n-1)}, capped; a success forgets the key. Defaults are client-go's (5 ms up to 1000 s), so a
 * passing glitch is retried at once and a lasting outage costs one attempt per ~17 min per key. Not
 * thread-safe: the reconcile thread alone uses it.
 */
final class RetryBackoff {
  static final Duration DEFAULT_BASE = Duration.ofMillis(5);
  static final Duration DEFAULT_CAP = Duration.ofSeconds(1000);

  private final Duration base;
  private final Duration cap;
  private final Clock clock;
  private final Map<String, Integer> failures = new HashMap<>();

  RetryBackoff(Duration base, Duration cap, Clock clock) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap");
    }
    this.base = base;
    this.cap = cap;
    this.clock = clock;
  }

  static RetryBackoff defaults() {
    return new RetryBackoff(DEFAULT_BASE, DEFAULT_CAP, Clock.systemUTC());
  }

  /** Records a failure of the key; returns when to try it again. */
  Instant failed(String key) {
    int n = failures.merge(key, 1, Integer::sum);
    return clock.instant().plus(delay(n));
  }

  /** The wait after the n-th consecutive failure (n >= 1). */
  Duration delay(int n) {
    // 2^(n-1) overflows long nanos well before n = 64; past the cap the answer is the cap anyway.
    int doublings = Math.min(n - 1, 62);
    long capNanos = cap.toNanos();
    long nanos = base.toNanos();
    for (int i = 0; i < doublings && nanos < capNanos; i++) {
      nanos = nanos > capNanos / 2 ? capNanos : nanos * 2;
    }
    return Duration.ofNanos(Math.min(nanos, capNanos));
  }

  /** Consecutive failures of the key so far. */
  int failures(String key) {
    return failures.getOrDefault(key, 0);
  }

  /** A success: the next failure starts from the base again. */
  void forget(String key) {
    failures.remove(key);
  }

  Instant now() {
    return clock.instant();
  }
}
