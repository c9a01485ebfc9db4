package dev.kaskade.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.gateway.metrics.TrafficRing;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrafficRingTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final TrafficRing ring = new TrafficRing(now::get);

  private static long ms(double millis) {
    return (long) (millis * 1_000_000);
  }

  @Test
  void aBucketCountsCallsErrorsAndLatencyPercentiles() {
    for (int i = 0; i < 98; i++) {
      ring.record("iris", 200, ms(2));
    }
    ring.record("iris", 503, ms(200));
    ring.record("iris", 400, ms(1));

    TrafficRing.Point last = ring.series("iris", 60_000).getLast();

    assertThat(last.calls()).isEqualTo(100);
    assertThat(last.errors5xx()).isEqualTo(1);
    assertThat(last.errors4xx()).isEqualTo(1);
    assertThat(last.p50Ms()).isBetween(2.0, 2.0 * 1.42);
    assertThat(last.p99Ms()).isBetween(2.0, 2.0 * 1.42);
    assertThat(last.ratePerSecond()).isGreaterThan(0);
  }

  @Test
  void theSeriesHasOnePointPerBucketWithEmptyBucketsInBetween() {
    ring.record("iris", 200, ms(5));
    now.addAndGet(3 * TrafficRing.BUCKET_MS);
    ring.record("iris", 200, ms(50));

    List<TrafficRing.Point> series = ring.series("iris", 60_000);

    assertThat(series).hasSize(12);
    assertThat(series.getLast().calls()).isEqualTo(1);
    assertThat(series.get(series.size() - 4).calls()).isEqualTo(1);
    assertThat(series.get(series.size() - 2).calls()).isZero();
    assertThat(series.get(series.size() - 2).p50Ms()).isNaN();
    assertThat(series.getLast().p99Ms()).isBetween(50.0, 50 * 1.42);
  }

  @Test
  void oldBucketsAreForgottenOnceTheRingWrapsAround() {
    ring.record("iris", 200, ms(5));
    now.addAndGet(TrafficRing.BUCKETS * TrafficRing.BUCKET_MS);
    ring.record("iris", 200, ms(5));

    long calls =
        ring.series("iris", TrafficRing.BUCKETS * TrafficRing.BUCKET_MS).stream()
            .mapToLong(TrafficRing.Point::calls)
            .sum();

    assertThat(calls).isEqualTo(1);
  }

  @Test
  void modelsBeyondTheLimitShareOneSeries() {
    for (int i = 0; i < TrafficRing.MAX_MODELS + 5; i++) {
      ring.record("m" + i, 200, ms(1));
    }

    assertThat(ring.models()).hasSize(TrafficRing.MAX_MODELS + 1).contains(TrafficRing.OTHER);
    assertThat(ring.series(TrafficRing.OTHER, 5_000).getLast().calls()).isEqualTo(5);
  }

  @Test
  void anUnknownModelHasAnEmptySeries() {
    assertThat(ring.series("nobody", 30_000)).hasSize(6).allMatch(p -> p.calls() == 0);
  }
}
