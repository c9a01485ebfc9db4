package dev.kaskade.processors.monitor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The monitor's meters, all tagged {@code namespace} and {@code model} (features are capped by
 * {@link MonitorLimits#maxFeatures()}, so the series per model are bounded):
 *
 * <ul>
 *   <li>{@code kaskade_drift_p_value{feature}}, {@code kaskade_drift_statistic{feature}}: gauges of
 *       the latest window's test per feature
 *   <li>{@code kaskade_drift_detected}: 1 when any feature drifted in the latest window, else 0
 *   <li>{@code kaskade_drift_windows_total{drift}}: closed windows, {@code drift} true/false
 *   <li>{@code kaskade_drift_alerts_total{feature}}: windows in which that feature drifted
 *   <li>{@code kaskade_monitor_rows_total}: rows taken by the monitor
 *   <li>{@code kaskade_monitor_dropped_rows_total{reason}}: rows dropped, {@code reason} {@code
 *       rows_per_request} (over the cap) or {@code width} (another width than the model's)
 *   <li>{@code kaskade_outlier_rows_total{outlier}}: scored rows, {@code outlier} true/false
 * </ul>
 */
public final class DriftMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

  /** Looked up per record: cached instead of asking the registry each time. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public DriftMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(
      String namespace, String model, String feature, double pValue, double statistic) {
    gauge("kaskade_drift_p_value", namespace, model, feature).set(Double.doubleToLongBits(pValue));
    gauge("kaskade_drift_statistic", namespace, model, feature)
        .set(Double.doubleToLongBits(statistic));
  }

  public void alert(String namespace, String model, String feature) {
    counter("kaskade_drift_alerts_total", namespace, model, "feature", feature).increment();
  }

  public void detected(String namespace, String model, boolean drift) {
    gauge("kaskade_drift_detected", namespace, model, null)
        .set(Double.doubleToLongBits(drift ? 1 : 0));
    counter("kaskade_drift_windows_total", namespace, model, "drift", Boolean.toString(drift))
        .increment();
  }

  public void admitted(String namespace, String model, MonitorLimits.Admitted admitted) {
    counter("kaskade_monitor_rows_total", namespace, model, null, null)
        .increment(admitted.rows().size());
    if (admitted.overCap() > 0) {
      counter("kaskade_monitor_dropped_rows_total", namespace, model, "reason", "rows_per_request")
          .increment(admitted.overCap());
    }
    if (admitted.wrongWidth() > 0) {
      counter("kaskade_monitor_dropped_rows_total", namespace, model, "reason", "width")
          .increment(admitted.wrongWidth());
    }
  }

  public void scored(String namespace, String model, boolean outlier) {
    counter("kaskade_outlier_rows_total", namespace, model, "outlier", Boolean.toString(outlier))
        .increment();
  }

  private Counter counter(String name, String namespace, String model, String tag, String value) {
    return counters.computeIfAbsent(
        String.join("|", name, namespace, model, String.valueOf(tag), String.valueOf(value)),
        k -> {
          Counter.Builder builder =
              Counter.builder(name).tag("namespace", namespace).tag("model", model);
          if (tag != null) {
            builder.tag(tag, value);
          }
          return builder.register(registry);
        });
  }

  private AtomicLong gauge(String name, String namespace, String model, String feature) {
    String key = name + "|" + namespace + "|" + model + "|" + feature;
    return values.computeIfAbsent(
        key,
        k -> {
          AtomicLong holder = new AtomicLong(Double.doubleToLongBits(Double.NaN));
          Gauge.Builder<AtomicLong> builder =
              Gauge.builder(name, holder, h -> Double.longBitsToDouble(h.get()))
                  .tag("namespace", namespace)
                  .tag("model", model);
          if (feature != null) {
            builder.tag("feature", feature);
          }
          builder.register(registry);
          return holder;
        });
  }
}
