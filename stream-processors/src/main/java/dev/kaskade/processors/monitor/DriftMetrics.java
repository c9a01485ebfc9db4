package dev.kaskade.processors.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges of the latest window: {@code kaskade_drift_p_value{namespace,model,feature}} and {@code
 * kaskade_drift_detected{namespace,model}} (1 when any feature drifted in the last window).
 */
public final class DriftMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

  public DriftMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String namespace, String model, String feature, double pValue) {
    gauge("kaskade_drift_p_value", namespace, model, feature).set(Double.doubleToLongBits(pValue));
  }

  public void detected(String namespace, String model, boolean drift) {
    gauge("kaskade_drift_detected", namespace, model, null)
        .set(Double.doubleToLongBits(drift ? 1 : 0));
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
