package dev.kaskade.loadtests.harness;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Latencies in nanoseconds (HdrHistogram, 3 significant digits) plus an error count. */
public final class LatencyRecorder {
  private final Histogram histogram = new ConcurrentHistogram(3_600_000_000_000L, 3);
  private final LongAdder errors = new LongAdder();

  public void record(long nanos) {
    histogram.recordValue(Math.max(1, nanos));
  }

  public void error() {
    errors.increment();
  }

  public long count() {
    return histogram.getTotalCount();
  }

  public long errors() {
    return errors.sum();
  }

  /** Percentile in microseconds. */
  public double micros(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1_000.0;
  }

  /** Percentile in milliseconds. */
  public double millis(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1_000_000.0;
  }

  public double maxMillis() {
    return histogram.getMaxValue() / 1_000_000.0;
  }

  public void reset() {
    histogram.reset();
    errors.reset();
  }

  /** "p50 1.23 ms, p99 4.56 ms, max 7.89 ms (n=1000, errors=0)". */
  public String summaryMillis() {
    return "p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms (n=%d, errors=%d)"
        .formatted(millis(50), millis(90), millis(99), maxMillis(), count(), errors());
  }
}
