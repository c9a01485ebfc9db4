package dev.kaskade.loadtests.generation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Signed samples in milliseconds (differences may be negative), with nearest-rank percentiles. */
public final class Samples {
  private final List<Double> values = Collections.synchronizedList(new ArrayList<>());

  public void add(double millis) {
    values.add(millis);
  }

  public int count() {
    return values.size();
  }

  /** Nearest-rank percentile (0–100), or NaN when empty. */
  public double percentile(double p) {
    List<Double> sorted;
    synchronized (values) {
      sorted = new ArrayList<>(values);
    }
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
