package dev.kaskade.schemas.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.schemas.error.KaskadeException;
import java.util.Optional;

/**
 * The {@code outlier} section of an InferenceService's monitor settings ({@code
 * InferenceServiceSpec.monitor_json}, from the annotation {@code kaskade.dev/monitor}):
 *
 * <pre>{@code
 * {"outlier": {"reference": [[5.1, 3.5], [4.9, 3.0], ...], "reference_size": 200, "p": 0.999,
 *              "response_parameter": true}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code reference}: the reference rows (at least two, all of one length, numbers only; a
 *       bare number is a one-feature row). Absent or empty: the monitor takes the first {@code
 *       reference_size} scored rows instead.
 *   <li>{@code reference_size}: rows to collect when there is no explicit reference (default 200,
 *       at least 2).
 *   <li>{@code p}: the chi-squared probability of the threshold, in (0, 1) (default 0.999).
 *   <li>{@code response_parameter}: the model workers add {@code outlier_score} and {@code outlier}
 *       to every response (default false). Needs an explicit {@code reference}.
 * </ul>
 *
 * @param reference the explicit reference rows, or null to learn them from traffic
 */
public record OutlierConfig(
    double[][] reference, int referenceSize, double p, boolean responseParameter) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static final int DEFAULT_REFERENCE_SIZE = 200;
  public static final double DEFAULT_P = 0.999;

  /**
   * The outlier settings of this monitor JSON; empty when it is null/blank or has no {@code
   * outlier} section.
   *
   * @throws KaskadeException INVALID_ARGUMENT naming the offending key for bad input
   */
  public static Optional<OutlierConfig> parse(String monitorJson) {
    if (monitorJson == null || monitorJson.isBlank()) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(monitorJson);
    } catch (JsonProcessingException e) {
      throw KaskadeException.invalid("monitor_json is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return Optional.empty();
    }
    if (!root.isObject()) {
      throw KaskadeException.invalid("monitor_json must be a JSON object");
    }
    JsonNode node = root.get("outlier");
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw KaskadeException.invalid("monitor_json: outlier must be an object");
    }
    double[][] reference = reference(node.get("reference"));
    int referenceSize = DEFAULT_REFERENCE_SIZE;
    JsonNode size = node.get("reference_size");
    if (size != null && !size.isNull()) {
      if (!size.canConvertToExactIntegral() || !size.canConvertToInt() || size.asInt() < 2) {
        throw KaskadeException.invalid(
            "monitor_json: outlier.reference_size must be an integer >= 2, got " + size);
      }
      referenceSize = size.asInt();
    }
    double p = DEFAULT_P;
    JsonNode pNode = node.get("p");
    if (pNode != null && !pNode.isNull()) {
      if (!pNode.isNumber() || !(pNode.asDouble() > 0 && pNode.asDouble() < 1)) {
        throw KaskadeException.invalid(
            "monitor_json: outlier.p must be a number in (0, 1), got " + pNode);
      }
      p = pNode.asDouble();
    }
    boolean responseParameter = false;
    JsonNode rp = node.get("response_parameter");
    if (rp != null && !rp.isNull()) {
      if (!rp.isBoolean()) {
        throw KaskadeException.invalid(
            "monitor_json: outlier.response_parameter must be true or false, got " + rp);
      }
      responseParameter = rp.asBoolean();
    }
    return Optional.of(new OutlierConfig(reference, referenceSize, p, responseParameter));
  }

  private static double[][] reference(JsonNode node) {
    if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
      return null;
    }
    if (!node.isArray()) {
      throw KaskadeException.invalid("monitor_json: outlier.reference must be an array of rows");
    }
    if (node.size() < 2) {
      throw KaskadeException.invalid(
          "monitor_json: outlier.reference needs at least two rows, got " + node.size());
    }
    double[][] rows = new double[node.size()][];
    for (int r = 0; r < rows.length; r++) {
      JsonNode row = node.get(r);
      rows[r] = row.isArray() ? new double[row.size()] : new double[1];
      for (int j = 0; j < rows[r].length; j++) {
        JsonNode value = row.isArray() ? row.get(j) : row;
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
          throw KaskadeException.invalid(
              "monitor_json: outlier.reference[%d]%s must be a number, got %s"
                  .formatted(r, row.isArray() ? "[" + j + "]" : "", value));
        }
        rows[r][j] = value.asDouble();
      }
      if (rows[r].length == 0 || rows[r].length != rows[0].length) {
        throw KaskadeException.invalid(
            "monitor_json: outlier.reference[%d] has %d values, row 0 has %d"
                .formatted(r, rows[r].length, rows[0].length));
      }
    }
    return rows;
  }

  /** The detector fitted on the explicit reference; empty when the reference is learnt. */
  public Optional<OutlierDetector> detector() {
    return reference == null ? Optional.empty() : Optional.of(OutlierDetector.fit(reference, p));
  }
}
