package dev.kaskade.workers.backend.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.schemas.tensor.V2Json;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The bodies the runtime bridge exchanges with a model server: Open Inference Protocol (V2) REST
 * and KServe V1 REST. Pure.
 */
final class BridgeJson {
  /** The output name a V1 answer's {@code predictions} get. */
  static final String V1_OUTPUT = "predictions";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_MESSAGE = 1000;

  private BridgeJson() {}

  /** An OIP inference request body. */
  static byte[] v2Request(List<Tensor> inputs, Collection<String> requestedOutputs) {
    ObjectNode body = MAPPER.createObjectNode();
    body.set("inputs", V2Json.tensors(inputs));
    if (!requestedOutputs.isEmpty()) {
      ArrayNode outputs = body.putArray("outputs");
      requestedOutputs.forEach(name -> outputs.addObject().put("name", name));
    }
    return V2Json.bytes(body);
  }

  /** The outputs of an OIP inference response body. */
  static List<Tensor> v2Outputs(byte[] body) {
    JsonNode outputs = parse(body).path("outputs");
    if (!outputs.isArray()) {
      throw internal("the model server's answer has no \"outputs\" array");
    }
    List<Tensor> tensors = new ArrayList<>();
    for (JsonNode output : outputs) {
      String name = output.path("name").asText("");
      DataType type = DataTypes.parse(output.path("datatype").asText(""));
      if (type == null) {
        throw internal("output '" + name + "' has datatype " + output.path("datatype"));
      }
      List<Long> shape = new ArrayList<>();
      output.path("shape").forEach(d -> shape.add(d.asLong()));
      tensors.add(JsonTensors.tensor(name, type, shape, JsonTensors.flatten(output.path("data"))));
    }
    return tensors;
  }

  /**
   * A V1 {@code :predict} body: the rows of a single input as {@code instances}; with several
   * inputs each instance is an object of named rows.
   */
  static byte[] v1Request(List<Tensor> inputs) {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode instances = body.putArray("instances");
    if (inputs.size() == 1) {
      rows(inputs.get(0)).forEach(instances::add);
    } else if (!inputs.isEmpty()) {
      List<List<JsonNode>> columns = inputs.stream().map(BridgeJson::rows).toList();
      for (int row = 0; row < columns.get(0).size(); row++) {
        ObjectNode instance = instances.addObject();
        for (int i = 0; i < inputs.size(); i++) {
          instance.set(inputs.get(i).getName(), columns.get(i).get(row));
        }
      }
    }
    return V2Json.bytes(body);
  }

  /** The {@code predictions} of a V1 answer as one tensor named {@value #V1_OUTPUT}. */
  static List<Tensor> v1Outputs(byte[] body) {
    JsonNode predictions = parse(body).path(V1_OUTPUT);
    if (!predictions.isArray()) {
      throw internal("the model server's answer has no \"predictions\" array");
    }
    List<Long> shape = JsonTensors.shapeOf(predictions);
    List<JsonNode> leaves = JsonTensors.flatten(predictions);
    DataType type = JsonTensors.inferType(leaves);
    if (type == DataType.BYTES || leaves.size() != product(shape)) {
      // objects or ragged rows: one JSON text per prediction
      List<JsonNode> rows = new ArrayList<>();
      predictions.forEach(rows::add);
      return List.of(
          JsonTensors.tensor(V1_OUTPUT, DataType.BYTES, List.of((long) rows.size()), rows));
    }
    return List.of(JsonTensors.tensor(V1_OUTPUT, type, shape, leaves));
  }

  /** OIP model metadata ({@code GET /v2/models/<name>}); absent tensors give empty lists. */
  static ModelMetadata v2Metadata(byte[] body, String name) {
    JsonNode node = parse(body);
    return new ModelMetadata(
        name,
        node.path("platform").asText("kaskade-bridge"),
        tensorMetadata(node.path("inputs")),
        tensorMetadata(node.path("outputs")));
  }

  private static List<TensorMetadata> tensorMetadata(JsonNode array) {
    List<TensorMetadata> out = new ArrayList<>();
    for (JsonNode t : array) {
      DataType type = DataTypes.parse(t.path("datatype").asText(""));
      if (type == null) {
        return List.of(); // a signature Kaskade cannot check: let the model server check it
      }
      List<Long> shape = new ArrayList<>();
      t.path("shape").forEach(d -> shape.add(d.asLong()));
      out.add(new TensorMetadata(t.path("name").asText(""), type, shape));
    }
    return out;
  }

  /** A model server's error text: {@code error} of a JSON body, else the body itself. */
  static String errorMessage(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    try {
      JsonNode node = MAPPER.readTree(body);
      JsonNode error = node == null ? null : node.get("error");
      if (error == null && node != null) {
        error = node.get("detail");
      }
      if (error != null) {
        text = error.isTextual() ? error.asText() : error.toString();
      }
    } catch (IOException e) {
      // not JSON: the raw text
    }
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
  }

  private static List<JsonNode> rows(Tensor tensor) {
    ArrayNode flat = (ArrayNode) V2Json.tensors(List.of(tensor)).get(0).get("data");
    List<Long> shape = tensor.getShape();
    if (shape.isEmpty()) {
      return List.of(flat.get(0));
    }
    List<JsonNode> rows = new ArrayList<>();
    long perRow = product(shape.subList(1, shape.size()));
    for (int row = 0; row < shape.get(0); row++) {
      rows.add(nest(flat, (int) (row * perRow), shape.subList(1, shape.size())));
    }
    return rows;
  }

  private static JsonNode nest(ArrayNode flat, int offset, List<Long> shape) {
    if (shape.isEmpty()) {
      return flat.get(offset);
    }
    ArrayNode out = MAPPER.createArrayNode();
    long perChild = product(shape.subList(1, shape.size()));
    for (int i = 0; i < shape.get(0); i++) {
      out.add(nest(flat, (int) (offset + i * perChild), shape.subList(1, shape.size())));
    }
    return out;
  }

  private static long product(List<Long> shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static JsonNode parse(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw internal("the model server's answer is not JSON: " + e.getMessage());
    }
  }

  private static KaskadeException internal(String message) {
    return new KaskadeException(Reason.INTERNAL, message);
  }
}
