package dev.kaskade.processors.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.json.Payloads;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.schemas.tensor.Tensors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Built-in transformer configured by {@code TransformerSpec.steps_json}, a JSON array of steps run
 * in order (see docs/stream-processors.md):
 *
 * <ul>
 *   <li>{@code {"type":"features","names":[...]}}: object instances → rows in this column order
 *   <li>{@code {"type":"one_hot","column":i,"categories":[...]}}: column i → one 0/1 column per
 *       category (unknown values → all zeros)
 *   <li>{@code {"type":"scale","mean":[...],"std":[...]}}: (x − mean) / std per column
 *   <li>{@code {"type":"tensor","name":"float_input","datatype":"FP32"}}: the predictor's input
 *   <li>{@code {"type":"labels","labels":[...],"output":"name"}} (post): class index or probability
 *       row (argmax) → label
 * </ul>
 */
public final class DeclarativeTransformer implements Transformer {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static {
    // Builders that copy records (newBuilder(other)) load generated classes through Avro's
    // class validator; user transformers do the same.
    AvroTrust.install();
  }

  private final List<JsonNode> preSteps = new ArrayList<>();
  private final List<JsonNode> postSteps = new ArrayList<>();
  private String tensorName;
  private DataType tensorType = DataType.FP32;

  public DeclarativeTransformer(String stepsJson) {
    JsonNode steps = Json.parse(stepsJson, "transformer steps_json");
    if (!steps.isArray()) {
      throw KaskadeException.invalid("transformer steps_json must be a JSON array of steps");
    }
    for (JsonNode step : steps) {
      String type = step.path("type").asText("");
      switch (type) {
        case "features", "one_hot", "scale" -> preSteps.add(step);
        case "tensor" -> {
          tensorName = step.path("name").asText(Payloads.DEFAULT_INPUT);
          tensorType = DataTypes.parse(step.path("datatype").asText("FP32"));
        }
        case "labels" -> postSteps.add(step);
        default -> throw KaskadeException.invalid("unknown transformer step type '" + type + "'");
      }
    }
  }

  public boolean isEmpty() {
    return preSteps.isEmpty() && postSteps.isEmpty() && tensorName == null;
  }

  @Override
  public InferenceRequest preprocess(InferenceRequest request, Map<String, String> headers) {
    if (preSteps.isEmpty() && tensorName == null) {
      return request;
    }
    List<List<JsonNode>> rows = rows(request);
    for (JsonNode step : preSteps) {
      rows = apply(step, rows);
    }
    String name = tensorName;
    if (name == null) {
      name =
          request.getInputs().isEmpty()
              ? Payloads.DEFAULT_INPUT
              : request.getInputs().get(0).getName();
    }
    return InferenceRequest.newBuilder(request)
        .setInputs(List.of(Payloads.tensor(name, tensorType, numeric(rows))))
        .setJsonPayload(null)
        .build();
  }

  private List<List<JsonNode>> rows(InferenceRequest request) {
    List<List<JsonNode>> rows = new ArrayList<>();
    if (request.getJsonPayload() != null) {
      JsonNode instances = Payloads.instances(Json.parse(request.getJsonPayload(), "json_payload"));
      if (instances == null || !instances.isArray()) {
        throw KaskadeException.invalid("expected {\"instances\": [...]}");
      }
      for (JsonNode instance : instances) {
        List<JsonNode> row = new ArrayList<>();
        if (instance.isArray()) {
          instance.forEach(row::add);
        } else {
          row.add(instance);
        }
        rows.add(row);
      }
      return rows;
    }
    if (request.getInputs().isEmpty()) {
      throw KaskadeException.invalid("request " + request.getId() + " has no inputs");
    }
    Tensor tensor = request.getInputs().get(0);
    if (tensor.getDatatype() == DataType.BYTES) {
      for (byte[] element : Tensors.toByteElements(tensor)) {
        rows.add(
            new ArrayList<>(List.of(NODES.textNode(new String(element, StandardCharsets.UTF_8)))));
      }
      return rows;
    }
    for (double[] row : Payloads.matrix(tensor)) {
      List<JsonNode> values = new ArrayList<>();
      for (double v : row) {
        values.add(NODES.numberNode(v));
      }
      rows.add(values);
    }
    return rows;
  }

  private static List<List<JsonNode>> apply(JsonNode step, List<List<JsonNode>> rows) {
    List<List<JsonNode>> out = new ArrayList<>();
    for (List<JsonNode> row : rows) {
      out.add(
          switch (step.path("type").asText()) {
            case "features" -> features(step, row);
            case "one_hot" -> oneHot(step, row);
            default -> scale(step, row);
          });
    }
    return out;
  }

  private static List<JsonNode> features(JsonNode step, List<JsonNode> row) {
    if (row.size() != 1 || !row.get(0).isObject()) {
      return row;
    }
    JsonNode instance = row.get(0);
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode name : step.path("names")) {
      JsonNode value = instance.get(name.asText());
      if (value == null) {
        throw KaskadeException.invalid("instance has no feature '" + name.asText() + "'");
      }
      out.add(value);
    }
    return out;
  }

  private static List<JsonNode> oneHot(JsonNode step, List<JsonNode> row) {
    int column = step.path("column").asInt(-1);
    if (column < 0 || column >= row.size()) {
      throw KaskadeException.invalid("one_hot column " + column + " is outside the row");
    }
    String value = row.get(column).asText();
    List<JsonNode> out = new ArrayList<>(row.subList(0, column));
    for (JsonNode category : step.path("categories")) {
      out.add(NODES.numberNode(category.asText().equals(value) ? 1 : 0));
    }
    out.addAll(row.subList(column + 1, row.size()));
    return out;
  }

  private static List<JsonNode> scale(JsonNode step, List<JsonNode> row) {
    JsonNode mean = step.path("mean");
    JsonNode std = step.path("std");
    if (mean.size() != row.size() || std.size() != row.size()) {
      throw KaskadeException.invalid(
          "scale has " + mean.size() + " means for rows of " + row.size() + " features");
    }
    List<JsonNode> out = new ArrayList<>();
    for (int j = 0; j < row.size(); j++) {
      if (!row.get(j).isNumber()) {
        throw KaskadeException.invalid("feature " + j + " is not a number: " + row.get(j));
      }
      double s = std.get(j).asDouble(1);
      out.add(
          NODES.numberNode((row.get(j).asDouble() - mean.get(j).asDouble()) / (s == 0 ? 1 : s)));
    }
    return out;
  }

  private static double[][] numeric(List<List<JsonNode>> rows) {
    double[][] out = new double[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      List<JsonNode> row = rows.get(r);
      out[r] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        JsonNode v = row.get(j);
        if (!v.isNumber() && !v.isBoolean()) {
          throw KaskadeException.invalid(
              "instance "
                  + r
                  + " feature "
                  + j
                  + " is not numeric ("
                  + v
                  + "): add a one_hot step");
        }
        out[r][j] = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asDouble();
      }
    }
    return out;
  }

  @Override
  public InferenceResponse postprocess(InferenceResponse response, Map<String, String> headers) {
    if (postSteps.isEmpty() || response.getError() != null) {
      return response;
    }
    InferenceResponse current = response;
    for (JsonNode step : postSteps) {
      current = labels(step, current);
    }
    return current;
  }

  private static InferenceResponse labels(JsonNode step, InferenceResponse response) {
    String wanted = step.hasNonNull("output") ? step.get("output").asText() : null;
    Tensor output =
        response.getOutputs().stream()
            .filter(t -> wanted == null || t.getName().equals(wanted))
            .findFirst()
            .orElseThrow(() -> KaskadeException.invalid("the model returned no output " + wanted));
    JsonNode labels = step.path("labels");
    double[][] matrix = Payloads.matrix(output);
    List<String> predicted = new ArrayList<>();
    for (double[] row : matrix) {
      int index = row.length == 1 ? (int) row[0] : argmax(row);
      if (index < 0 || index >= labels.size()) {
        throw KaskadeException.invalid("class index " + index + " has no label");
      }
      predicted.add(labels.get(index).asText());
    }
    ObjectNode body = Json.object();
    ArrayNode predictions = body.putArray("predictions");
    predicted.forEach(predictions::add);
    List<Tensor> outputs = new ArrayList<>(response.getOutputs());
    outputs.add(Tensors.ofStrings("label", List.of((long) predicted.size()), predicted));
    return InferenceResponse.newBuilder(response)
        .setOutputs(outputs)
        .setJsonPayload(Json.write(body))
        .build();
  }

  private static int argmax(double[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }
}
