package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RetryBackoff backoff =
      new RetryBackoff(RetryBackoff.DEFAULT_BASE, RetryBackoff.DEFAULT_CAP, clock);

  @Test
  void consecutiveFailuresOfAKeyDoubleTheWaitFromFiveMilliseconds() {
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waits.add(Duration.between(clock.instant(), backoff.failed("isvc/a")));
    }
    assertThat(waits)
        .containsExactly(
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(20),
            Duration.ofMillis(40),
            Duration.ofMillis(80));
  }

  @Test
  void retryTimeIsCountedFromTheFailureOnTheClock() {
    backoff.failed("isvc/a");
    clock.advance(Duration.ofSeconds(3));

    assertThat(backoff.failed("isvc/a")).isEqualTo(clock.instant().plusMillis(10));
  }

  @Test
  void waitStopsGrowingAtTheCapOfThousandSeconds() {
    assertThat(backoff.delay(18)).isEqualTo(Duration.ofMillis(5L << 17)); // 655 s
    assertThat(backoff.delay(19)).isEqualTo(Duration.ofSeconds(1000));
    assertThat(backoff.delay(500)).isEqualTo(Duration.ofSeconds(1000));
  }

  @Test
  void successForgetsTheFailuresOfThatKeyOnly() {
    backoff.failed("isvc/a");
    backoff.failed("isvc/a");
    backoff.failed("isvc/b");
    backoff.forget("isvc/a");

    assertThat(backoff.failures("isvc/a")).isZero();
    assertThat(backoff.failed("isvc/a")).isEqualTo(clock.instant().plusMillis(5));
    assertThat(backoff.failed("isvc/b")).isEqualTo(clock.instant().plusMillis(10));
  }

  @Test
  void baseAboveTheCapIsRejected() {
    assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
