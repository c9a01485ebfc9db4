package dev.kaskade.schemas.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.schemas.error.KaskadeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates an InferenceService's monitor settings ({@code InferenceServiceSpec.monitor_json}, from
 * the annotation {@code kaskade.dev/monitor}) before they are accepted, so {@code apply} rejects
 * what the monitor would otherwise only log and ignore. Pure; the one list of keys and ranges:
 *
 * <ul>
 *   <li>top level: {@code feature_names} (array of distinct strings), {@code drift}, {@code
 *       outlier}
 *   <li>{@code drift}: {@code reference} (rows of one width), {@code reference_size} (integer ≥ 2),
 *       {@code window} (integer ≥ 2), {@code window_ms} (integer ≥ 0), {@code alpha} (number in (0,
 *       1)), {@code categorical} (feature indexes ≥ 0)
 *   <li>{@code outlier}: see {@link OutlierConfig}
 * </ul>
 *
 * Unknown keys are errors too, so a typo ({@code "aplha"}) does not silently keep the default.
 */
public final class MonitorSettings {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> TOP = Set.of("feature_names", "drift", "outlier");
  private static final Set<String> DRIFT =
      Set.of("reference", "reference_size", "window", "window_ms", "alpha", "categorical");
  private static final Set<String> OUTLIER =
      Set.of("reference", "reference_size", "p", "response_parameter");

  private MonitorSettings() {}

  /** Every problem of these settings, each naming its key; empty when they are valid. */
  public static List<String> problems(String monitorJson) {
    List<String> errors = new ArrayList<>();
    if (monitorJson == null || monitorJson.isBlank()) {
      return errors;
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(monitorJson);
    } catch (JsonProcessingException e) {
      errors.add("not valid JSON: " + e.getOriginalMessage());
      return errors;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return errors;
    }
    if (!root.isObject()) {
      errors.add("must be a JSON object");
      return errors;
    }
    unknownKeys("", root, TOP, errors);
    featureNames(root.get("feature_names"), errors);
    drift(root.get("drift"), errors);
    outlier(root, errors);
    if (errors.isEmpty()) {
      widths(root, errors);
    }
    return errors;
  }

  /**
   * @throws KaskadeException INVALID_ARGUMENT listing every problem
   */
  public static void requireValid(String monitorJson) {
    List<String> errors = problems(monitorJson);
    if (!errors.isEmpty()) {
      throw KaskadeException.invalid("monitor_json: " + String.join("; ", errors));
    }
  }

  private static void unknownKeys(String path, JsonNode node, Set<String> known, List<String> out) {
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!known.contains(key)) {
                out.add(path + key + ": unknown key (known: " + new TreeSet<>(known) + ")");
              }
            });
  }

  private static void featureNames(JsonNode names, List<String> errors) {
    if (names == null || names.isNull()) {
      return;
    }
    if (!names.isArray()) {
      errors.add("feature_names: must be an array of strings");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      JsonNode name = names.get(i);
      if (!name.isTextual() || name.asText().isBlank()) {
        errors.add("feature_names[" + i + "]: must be a non-empty string, got " + name);
      } else if (!seen.add(name.asText())) {
        errors.add("feature_names[" + i + "]: duplicate name '" + name.asText() + "'");
      }
    }
  }

  private static void drift(JsonNode drift, List<String> errors) {
    if (drift == null || drift.isNull()) {
      return;
    }
    if (!drift.isObject()) {
      errors.add("drift: must be an object");
      return;
    }
    unknownKeys("drift.", drift, DRIFT, errors);
    integer(drift, "reference_size", 2, errors);
    integer(drift, "window", 2, errors);
    integer(drift, "window_ms", 0, errors);
    JsonNode alpha = drift.get("alpha");
    if (alpha != null && !(alpha.isNumber() && alpha.asDouble() > 0 && alpha.asDouble() < 1)) {
      errors.add("drift.alpha: must be a number in (0, 1), got " + alpha);
    }
    JsonNode categorical = drift.get("categorical");
    if (categorical != null && !categorical.isArray()) {
      errors.add("drift.categorical: must be an array of feature indexes");
    }
    for (int i = 0; categorical != null && i < categorical.size(); i++) {
      JsonNode index = categorical.get(i);
      if (!index.canConvertToExactIntegral() || index.asInt() < 0) {
        errors.add("drift.categorical[" + i + "]: must be an integer >= 0, got " + index);
      }
    }
    rows("drift.reference", drift.get("reference"), errors);
  }

  /** feature_names and explicit references fix the model's width: they must agree. */
  private static void widths(JsonNode root, List<String> errors) {
    JsonNode names = root.path("feature_names");
    int expected = names.isArray() && !names.isEmpty() ? names.size() : -1;
    String source = "feature_names";
    for (String section : List.of("drift", "outlier")) {
      JsonNode reference = root.path(section).path("reference");
      if (!reference.isArray() || reference.isEmpty()) {
        continue;
      }
      int width = reference.get(0).isArray() ? reference.get(0).size() : 1;
      if (expected < 0) {
        expected = width;
        source = section + ".reference";
      } else if (width != expected) {
        errors.add(
            section + ".reference: rows have " + width + " values, " + source + " has " + expected);
      }
    }
  }

  private static void integer(JsonNode section, String key, long min, List<String> errors) {
    JsonNode value = section.get(key);
    if (value != null
        && !(value.canConvertToExactIntegral()
            && value.canConvertToLong()
            && value.asLong() >= min)) {
      errors.add("drift." + key + ": must be an integer >= " + min + ", got " + value);
    }
  }

  /** Rows of one width (a bare value is a one-feature row); values may be strings (categories). */
  private static void rows(String path, JsonNode rows, List<String> errors) {
    if (rows == null || rows.isNull()) {
      return;
    }
    if (!rows.isArray()) {
      errors.add(path + ": must be an array of rows");
      return;
    }
    int width = -1;
    for (int r = 0; r < rows.size(); r++) {
      int w = rows.get(r).isArray() ? rows.get(r).size() : 1;
      if (width < 0) {
        width = w;
      } else if (w != width) {
        errors.add(path + "[" + r + "]: has " + w + " values, row 0 has " + width);
        return;
      }
    }
  }

  private static void outlier(JsonNode root, List<String> errors) {
    JsonNode outlier = root.get("outlier");
    if (outlier != null && outlier.isObject()) {
      unknownKeys("outlier.", outlier, OUTLIER, errors);
    }
    try {
      OutlierConfig.parse(root.toString());
    } catch (KaskadeException e) {
      errors.add(e.getMessage().replaceFirst("^monitor_json: ", ""));
    }
  }
}
