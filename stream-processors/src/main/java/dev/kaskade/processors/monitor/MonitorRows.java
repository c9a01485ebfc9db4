package dev.kaskade.processors.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.Tensor;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.json.Payloads;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.Tensors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The feature rows of a request as JSON values (numbers or strings), so categorical string features
 * and malformed values reach the detectors instead of failing the decode.
 */
public final class MonitorRows {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private MonitorRows() {}

  public static List<List<JsonNode>> of(InferenceRequest request, List<String> featureNames) {
    if (!request.getInputs().isEmpty()) {
      return ofTensor(request.getInputs().get(0));
    }
    if (request.getJsonPayload() != null) {
      JsonNode instances = Payloads.instances(Json.parse(request.getJsonPayload(), "json_payload"));
      if (instances != null && instances.isArray()) {
        List<List<JsonNode>> rows = new ArrayList<>();
        instances.forEach(instance -> rows.add(row(instance, featureNames)));
        return rows;
      }
    }
    throw KaskadeException.invalid("request " + request.getId() + " has no inputs to monitor");
  }

  private static List<JsonNode> row(JsonNode instance, List<String> featureNames) {
    List<JsonNode> values = new ArrayList<>();
    if (instance.isArray()) {
      instance.forEach(values::add);
    } else if (instance.isObject() && !featureNames.isEmpty()) {
      featureNames.forEach(name -> values.add(instance.path(name)));
    } else if (instance.isObject()) {
      Iterator<JsonNode> it = instance.elements();
      it.forEachRemaining(values::add);
    } else {
      values.add(instance);
    }
    return values;
  }

  private static List<List<JsonNode>> ofTensor(Tensor tensor) {
    List<JsonNode> flat = new ArrayList<>();
    if (tensor.getDatatype() == DataType.BYTES) {
      for (byte[] element : Tensors.toByteElements(tensor)) {
        flat.add(NODES.textNode(new String(element, StandardCharsets.UTF_8)));
      }
    } else {
      for (double v : Tensors.toDoubles(tensor)) {
        flat.add(NODES.numberNode(v));
      }
    }
    List<Long> shape = tensor.getShape();
    int rows = shape.isEmpty() ? 1 : (int) (long) shape.get(0);
    int cols = rows == 0 ? 0 : flat.size() / rows;
    List<List<JsonNode>> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      out.add(new ArrayList<>(flat.subList(r * cols, (r + 1) * cols)));
    }
    return out;
  }

  /** The rows as numbers, or null when empty or any value is not a number. */
  static double[][] numeric(List<List<JsonNode>> instances) {
    if (instances.isEmpty()) {
      return null;
    }
    double[][] out = new double[instances.size()][];
    for (int r = 0; r < out.length; r++) {
      List<JsonNode> row = instances.get(r);
      out[r] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        if (!row.get(j).isNumber()) {
          return null;
        }
        out[r][j] = row.get(j).asDouble();
      }
    }
    return out;
  }

  /** Numbers as JSON rows (the form {@link RowLog} stores). */
  static List<List<JsonNode>> json(double[][] rows) {
    List<List<JsonNode>> out = new ArrayList<>();
    for (double[] row : rows) {
      List<JsonNode> values = new ArrayList<>();
      for (double v : row) {
        values.add(NODES.numberNode(v));
      }
      out.add(values);
    }
    return out;
  }
}
