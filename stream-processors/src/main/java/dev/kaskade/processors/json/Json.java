package dev.kaskade.processors.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.schemas.error.KaskadeException;

/** The one Jackson mapper of the module and small helpers that turn parse errors into reasons. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Parses JSON, failing with INVALID_ARGUMENT naming what was parsed. */
  public static JsonNode parse(String json, String what) {
    try {
      JsonNode node = MAPPER.readTree(json == null || json.isBlank() ? "null" : json);
      return node == null ? MAPPER.nullNode() : node;
    } catch (JsonProcessingException e) {
      throw KaskadeException.invalid(what + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** A double[] as a JSON array. */
  public static ArrayNode array(double[] values) {
    ArrayNode out = MAPPER.createArrayNode();
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  /** A numeric JSON array of arrays as a matrix, or null when it is not one. */
  public static double[][] matrixOrNull(JsonNode node) {
    if (node == null || !node.isArray()) {
      return null;
    }
    double[][] rows = new double[node.size()][];
    for (int i = 0; i < node.size(); i++) {
      JsonNode row = node.get(i);
      if (row.isNumber()) {
        rows[i] = new double[] {row.asDouble()};
        continue;
      }
      if (!row.isArray()) {
        return null;
      }
      rows[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        if (!row.get(j).isNumber()) {
          return null;
        }
        rows[i][j] = row.get(j).asDouble();
      }
    }
    return rows;
  }
}
