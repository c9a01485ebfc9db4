package dev.kaskade.processors.explain;

import java.util.ArrayList;
import java.util.List;

/** The first N rows seen on a model's request topic, used when the manifest gives no background. */
final class TrafficBackground {
  private final int capacity;
  private final List<double[]> rows = new ArrayList<>();

  TrafficBackground(int capacity) {
    this.capacity = capacity;
  }

  /** Keeps at most {@code perRequest} rows of one request, so one request cannot fill it. */
  synchronized void offer(double[][] instances, int perRequest) {
    int taken = 0;
    for (double[] row : instances) {
      if (rows.size() >= capacity || taken >= perRequest) {
        return;
      }
      if (rows.isEmpty() || rows.get(0).length == row.length) {
        rows.add(row.clone());
        taken++;
      }
    }
  }

  synchronized double[][] rows() {
    return rows.isEmpty() ? null : rows.toArray(double[][]::new);
  }
}
