package dev.kaskade.processors.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.processors.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The explainer settings of one InferenceService, read from {@code ExplainerSpec.config_json}:
 *
 * <pre>{@code
 * {"background": [[5.1,3.5,1.4,0.2], ...],   // (string values holding JSON are accepted too)   // reference rows; absent = first N requests seen
 *  "background_size": 100,                   // N rows kept from traffic / used at most
 *  "feature_names": ["sepal_length", ...],
 *  "output": "probabilities",                // output tensor to explain; default: first float one
 *  "max_exact_features": 12, "samples": 2048, "seed": 0, "timeout_ms": 30000}
 * }</pre>
 */
public record ExplainerConfig(
    double[][] background,
    int backgroundSize,
    List<String> featureNames,
    String output,
    Tuning tuning) {

  /** Sampling and deadline knobs. */
  public record Tuning(int maxExactFeatures, int samples, long seed, long timeoutMs) {}

  public static ExplainerConfig defaults() {
    return parse("{}");
  }

  public static ExplainerConfig parse(String configJson) {
    JsonNode node = Json.parse(configJson == null ? "{}" : configJson, "explainer config_json");
    if (node.isObject()) {
      // KServe's art.config is map[string]string: accept JSON inside string values too.
      var fields = new java.util.ArrayList<String>();
      node.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        JsonNode value = node.get(field);
        String text = value.isTextual() ? value.asText().trim() : "";
        if (text.startsWith("[") || text.startsWith("{")) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) node)
              .set(field, Json.parse(text, field));
        }
      }
    }
    int size = node.path("background_size").asInt(100);
    double[][] background = Json.matrixOrNull(node.get("background"));
    if (background != null && background.length > size) {
      background = evenlySpaced(background, size);
    }
    List<String> names = new ArrayList<>();
    node.path("feature_names").forEach(n -> names.add(n.asText()));
    String output = node.hasNonNull("output") ? node.get("output").asText() : null;
    Tuning tuning =
        new Tuning(
            node.path("max_exact_features").asInt(12),
            node.path("samples").asInt(2048),
            node.path("seed").asLong(0),
            node.path("timeout_ms").asLong(30_000));
    return new ExplainerConfig(
        background == null || background.length == 0 ? null : background,
        size,
        List.copyOf(names),
        output,
        tuning);
  }

  private static double[][] evenlySpaced(double[][] rows, int count) {
    double[][] out = new double[count][];
    for (int i = 0; i < count; i++) {
      out[i] = rows[(int) ((long) i * rows.length / count)];
    }
    return out;
  }
}
