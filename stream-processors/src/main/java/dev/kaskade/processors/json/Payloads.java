package dev.kaskade.processors.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.schemas.tensor.Tensors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between the two shapes a payload takes in Kaskade: tensors (raw bytes, what workers
 * read) and the V1 JSON body ({@code {"instances":[...]}} / {@code {"predictions":[...]}}, what
 * transformers, graphs and explainers reason about).
 *
 * <p>Convention: a numeric V1 body becomes one tensor named {@value #DEFAULT_INPUT} of FP32 and
 * shape {@code [rows, columns]}; a response without {@code json_payload} becomes {@code
 * {"predictions": <first output as nested lists>}}.
 */
public final class Payloads {
  public static final String DEFAULT_INPUT = "input-0";

  private Payloads() {}

  /** The feature matrix of a request: the first numeric input tensor, or V1 JSON instances. */
  public static double[][] rows(InferenceRequest request) {
    for (Tensor tensor : request.getInputs()) {
      if (DataTypes.elementSize(tensor.getDatatype()) > 0) {
        return matrix(tensor);
      }
    }
    if (request.getJsonPayload() != null) {
      JsonNode body = Json.parse(request.getJsonPayload(), "json_payload");
      double[][] rows = Json.matrixOrNull(instances(body));
      if (rows != null) {
        return rows;
      }
    }
    throw KaskadeException.invalid(
        "request " + request.getId() + " has no numeric input tensor or numeric instances");
  }

  /** The {@code instances} (or {@code inputs}) array of a V1 body. */
  public static JsonNode instances(JsonNode body) {
    if (body.has("instances")) {
      return body.get("instances");
    }
    return body.get("inputs");
  }

  /**
   * A [rows, columns] numeric tensor (rank 1 is one column) as a matrix. The row count comes from
   * the shape only after {@link #checkShape} has tied every dimension to the data actually present,
   * so a shape cannot make this allocate more than the data it carries.
   */
  public static double[][] matrix(Tensor tensor) {
    double[] flat = Tensors.toDoubles(tensor);
    List<Long> shape = tensor.getShape();
    checkShape(tensor.getName(), shape, flat.length);
    int rows = shape.isEmpty() ? 1 : (int) (long) shape.get(0);
    int cols = rows == 0 ? 0 : flat.length / rows;
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, out[r], 0, cols);
    }
    return out;
  }

  /**
   * Refuses a shape the processors must not trust: the data plane's one shape check ({@link
   * Tensors#validateShape}: rank at most {@link Tensors#DEFAULT_MAX_RANK}, no negative dimension,
   * no overflow, no dimension above {@code max(1, element count)}, so a {@code [2147483647, 0]}
   * shape cannot make loops run two billion times), then a product that differs from the number of
   * elements present.
   */
  public static void checkShape(String name, List<Long> shape, long elements) {
    long product = Tensors.validateShape(name, shape);
    if (product != elements) {
      throw KaskadeException.invalid(
          "tensor '" + name + "' shape " + shape + " does not hold " + elements + " elements");
    }
  }

  /** A matrix as a [rows, columns] tensor of the given numeric type (FP32 unless FP64). */
  public static Tensor tensor(String name, DataType type, double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    List<Long> shape = List.of((long) rows.length, (long) cols);
    double[] flat = new double[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != cols) {
        throw KaskadeException.invalid("row " + r + " has " + rows[r].length + " columns");
      }
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    if (type == DataType.FP64) {
      return Tensors.ofDoubles(name, shape, flat);
    }
    float[] floats = new float[flat.length];
    for (int i = 0; i < flat.length; i++) {
      floats[i] = (float) flat[i];
    }
    return Tensors.ofFloats(name, shape, floats);
  }

  /** The V1 body of a request: its json_payload, or its first tensor as instances. */
  public static JsonNode requestBody(InferenceRequest request) {
    if (request.getJsonPayload() != null) {
      return Json.parse(request.getJsonPayload(), "json_payload");
    }
    ObjectNode body = Json.object();
    body.set(
        "instances",
        request.getInputs().isEmpty() ? Json.array() : nested(request.getInputs().get(0)));
    return body;
  }

  /** The V1 body of a response: its json_payload, or its first output as predictions. */
  public static JsonNode responseBody(InferenceResponse response) {
    if (response.getJsonPayload() != null) {
      return Json.parse(response.getJsonPayload(), "json_payload");
    }
    ObjectNode body = Json.object();
    body.set(
        "predictions",
        response.getOutputs().isEmpty() ? Json.array() : nested(response.getOutputs().get(0)));
    return body;
  }

  /** Tensors for a V1 body: one FP32 tensor when its instances are numeric, else none. */
  public static List<Tensor> tensorsFor(JsonNode body) {
    return tensorsFor(body, DEFAULT_INPUT);
  }

  /** The same, naming the tensor as the target model's input. */
  public static List<Tensor> tensorsFor(JsonNode body, String inputName) {
    double[][] rows = Json.matrixOrNull(instances(body));
    if (rows == null || rows.length == 0) {
      return List.of();
    }
    return List.of(tensor(inputName, DataType.FP32, rows));
  }

  /** A tensor as nested JSON lists following its shape. */
  public static JsonNode nested(Tensor tensor) {
    List<JsonNode> flat = new ArrayList<>();
    if (tensor.getDatatype() == DataType.BYTES) {
      for (byte[] element : Tensors.toByteElements(tensor)) {
        flat.add(
            Json.MAPPER.getNodeFactory().textNode(new String(element, StandardCharsets.UTF_8)));
      }
    } else {
      boolean integral = isIntegral(tensor.getDatatype());
      for (double v : Tensors.toDoubles(tensor)) {
        flat.add(
            integral
                ? Json.MAPPER.getNodeFactory().numberNode((long) v)
                : Json.MAPPER.getNodeFactory().numberNode(v));
      }
    }
    List<Long> shape = tensor.getShape();
    checkShape(tensor.getName(), shape, flat.size());
    if (shape.isEmpty()) {
      return flat.isEmpty() ? Json.MAPPER.nullNode() : flat.get(0);
    }
    return build(flat, shape);
  }

  /**
   * Groups the flat elements innermost dimension first, one pass per dimension (no recursion, so
   * the rank cannot exhaust the stack). After {@link #checkShape} every level holds at most {@code
   * max(1, elements)} nodes.
   */
  private static JsonNode build(List<JsonNode> flat, List<Long> shape) {
    List<JsonNode> level = flat;
    for (int dim = shape.size() - 1; dim >= 0; dim--) {
      int size = (int) (long) shape.get(dim);
      long groups = 1;
      for (int d = 0; d < dim; d++) {
        groups *= shape.get(d);
      }
      List<JsonNode> next = new ArrayList<>((int) groups);
      int cursor = 0;
      for (long g = 0; g < groups; g++) {
        ArrayNode group = Json.array();
        for (int i = 0; i < size; i++) {
          group.add(level.get(cursor++));
        }
        next.add(group);
      }
      level = next;
    }
    return level.get(0);
  }

  private static boolean isIntegral(DataType type) {
    return switch (type) {
      case FP16, FP32, FP64, BF16 -> false;
      default -> true;
    };
  }
}
