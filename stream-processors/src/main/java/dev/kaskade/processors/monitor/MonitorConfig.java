package dev.kaskade.processors.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.processors.json.Json;
import dev.kaskade.schemas.monitor.MonitorSettings;
import dev.kaskade.schemas.monitor.OutlierConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Drift and outlier settings of one InferenceService, from {@code
 * InferenceServiceSpec.monitor_json}:
 *
 * <pre>{@code
 * {"feature_names": ["sepal_length", ...],
 *  "drift":   {"reference": [[...], ...], "reference_size": 200, "window": 100, "window_ms": 0,
 *              "alpha": 0.05, "categorical": [2]},
 *  "outlier": {"reference": [[...], ...], "reference_size": 200, "p": 0.999,
 *              "response_parameter": false}}
 * }</pre>
 *
 * A section that is absent disables that monitor. Without {@code reference} the first {@code
 * reference_size} instances seen become the reference. The {@code outlier} section is parsed by
 * {@link OutlierConfig} (schemas), which the model workers share for the response parameter.
 */
public record MonitorConfig(List<String> featureNames, Drift drift, OutlierConfig outlier) {

  /** Drift detection; windowMs 0 = count windows only. */
  public record Drift(
      List<List<JsonNode>> reference,
      int referenceSize,
      int window,
      long windowMs,
      double alpha,
      Set<Integer> categorical) {}

  /**
   * @throws dev.kaskade.schemas.error.KaskadeException INVALID_ARGUMENT for settings {@link
   *     MonitorSettings} rejects (the same rules {@code apply} checks)
   */
  public static MonitorConfig parse(String monitorJson) {
    MonitorSettings.requireValid(monitorJson);
    JsonNode node = Json.parse(monitorJson == null ? "{}" : monitorJson, "monitor_json");
    List<String> names = new ArrayList<>();
    node.path("feature_names").forEach(n -> names.add(n.asText()));
    Drift drift = null;
    JsonNode d = node.get("drift");
    if (d != null && d.isObject()) {
      Set<Integer> categorical = new TreeSet<>();
      d.path("categorical").forEach(n -> categorical.add(n.asInt()));
      int window = Math.max(2, d.path("window").asInt(100));
      drift =
          new Drift(
              rows(d.get("reference")),
              d.path("reference_size").asInt(window),
              window,
              d.path("window_ms").asLong(0),
              d.path("alpha").asDouble(0.05),
              Set.copyOf(categorical));
    }
    OutlierConfig outlier = OutlierConfig.parse(monitorJson).orElse(null);
    return new MonitorConfig(List.copyOf(names), drift, outlier);
  }

  private static List<List<JsonNode>> rows(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      return null;
    }
    List<List<JsonNode>> rows = new ArrayList<>();
    for (JsonNode row : node) {
      List<JsonNode> values = new ArrayList<>();
      if (row.isArray()) {
        row.forEach(values::add);
      } else {
        values.add(row);
      }
      rows.add(values);
    }
    return rows;
  }

  /**
   * The model's feature width when the settings fix it: the number of {@code feature_names}, else
   * the width of an explicit drift or outlier reference; 0 when the traffic decides it.
   */
  public int width() {
    if (!featureNames.isEmpty()) {
      return featureNames.size();
    }
    if (drift != null && drift.reference() != null) {
      return drift.reference().get(0).size();
    }
    if (outlier != null && outlier.reference() != null) {
      return outlier.reference()[0].length;
    }
    return 0;
  }

  /** The name of feature j. */
  public String featureName(int j) {
    return j < featureNames.size() ? featureNames.get(j) : "f" + j;
  }
}
