package dev.kaskade.reconciler.standalone;

import dev.kaskade.events.DriftAlert;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts of each model's latest drift window, read from {@code monitor.drift}: the monitor
 * emits one alert per feature when a window closes, all with the same window bounds, so the latest
 * window is every alert sharing the newest bounds (not only the newest record, which would show
 * only the window's last feature).
 */
final class DriftWindows {
  /** How many drifted features the DRIFT column names before it only counts the rest. */
  static final int NAMED = 3;

  private final Map<String, Map<String, DriftAlert>> latest = new HashMap<>();

  void add(DriftAlert alert) {
    String model = alert.getNamespace() + "/" + alert.getModel();
    Map<String, DriftAlert> window = latest.get(model);
    DriftAlert first = window == null ? null : window.values().iterator().next();
    if (first == null || newer(alert, first)) {
      window = new LinkedHashMap<>();
      latest.put(model, window);
    } else if (!sameWindow(alert, first)) {
      return; // an older window arriving late
    }
    window.put(alert.getFeature(), alert);
  }

  /** The latest window's alerts of {@code namespace/model}, empty when there are none. */
  List<DriftAlert> of(String namespace, String model) {
    Map<String, DriftAlert> window = latest.get(namespace + "/" + model);
    return window == null ? List.of() : List.copyOf(window.values());
  }

  private static boolean sameWindow(DriftAlert a, DriftAlert b) {
    return a.getWindowStart() == b.getWindowStart() && a.getWindowEnd() == b.getWindowEnd();
  }

  private static boolean newer(DriftAlert a, DriftAlert b) {
    return a.getWindowEnd() > b.getWindowEnd()
        || (a.getWindowEnd() == b.getWindowEnd() && a.getWindowStart() > b.getWindowStart());
  }

  /**
   * The DRIFT column: {@code -} without alerts, {@code NoDrift}, or {@code Drift(f1,f2)} naming
   * every drifted feature, most significant (smallest p-value) first; beyond {@link #NAMED} the
   * rest are counted, {@code Drift(f1,f2,f3,+4)}. No spaces, so the table stays one token per cell.
   */
  static String column(List<DriftAlert> window) {
    if (window.isEmpty()) {
      return "-";
    }
    List<DriftAlert> drifted =
        new ArrayList<>(window.stream().filter(DriftAlert::getDrift).toList());
    if (drifted.isEmpty()) {
      return "NoDrift";
    }
    drifted.sort(Comparator.comparingDouble(DriftAlert::getPValue));
    List<String> names = new ArrayList<>();
    drifted.stream().limit(NAMED).forEach(a -> names.add(a.getFeature()));
    if (drifted.size() > NAMED) {
      names.add("+" + (drifted.size() - NAMED));
    }
    return "Drift(" + String.join(",", names) + ")";
  }
}
