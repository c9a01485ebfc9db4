package dev.kaskade.gateway.route;

import dev.kaskade.events.DataType;
import dev.kaskade.schemas.tensor.DataTypes;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Open Inference Protocol model metadata as a worker reported it in ComponentStatus.
 *
 * @param name model name
 * @param platform e.g. onnx_onnxv1
 * @param inputs input tensors
 * @param outputs output tensors
 */
public record ModelMetadata(
    String name, String platform, List<TensorSpec> inputs, List<TensorSpec> outputs) {

  public ModelMetadata {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** One declared tensor; {@code -1} in shape marks a variable dimension. */
  public record TensorSpec(String name, DataType datatype, List<Long> shape) {
    public TensorSpec {
      shape = List.copyOf(shape);
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("name", name)
          .put("datatype", datatype.name())
          .put("shape", new JsonArray(new ArrayList<>(shape)));
    }
  }

  public static ModelMetadata empty(String name) {
    return new ModelMetadata(name, "", List.of(), List.of());
  }

  /** Parses the metadata JSON; returns null when it is absent or malformed. */
  public static ModelMetadata parse(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      JsonObject o = new JsonObject(json);
      return new ModelMetadata(
          o.getString("name", ""),
          o.getString("platform", ""),
          specs(o.getJsonArray("inputs")),
          specs(o.getJsonArray("outputs")));
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  public TensorSpec input(String inputName) {
    return inputs.stream().filter(t -> t.name().equals(inputName)).findFirst().orElse(null);
  }

  /** The V2 metadata body, named as the caller addressed the model. */
  public JsonObject toJson(String modelName, List<String> versions) {
    JsonArray in = new JsonArray();
    inputs.forEach(t -> in.add(t.toJson()));
    JsonArray out = new JsonArray();
    outputs.forEach(t -> out.add(t.toJson()));
    return new JsonObject()
        .put("name", modelName)
        .put("versions", new JsonArray(new ArrayList<>(versions)))
        .put("platform", platform)
        .put("inputs", in)
        .put("outputs", out);
  }

  private static List<TensorSpec> specs(JsonArray array) {
    List<TensorSpec> specs = new ArrayList<>();
    if (array == null) {
      return specs;
    }
    for (int i = 0; i < array.size(); i++) {
      JsonObject t = array.getJsonObject(i);
      DataType type = DataTypes.parse(t.getString("datatype"));
      List<Long> shape = new ArrayList<>();
      JsonArray dims = t.getJsonArray("shape", new JsonArray());
      for (int d = 0; d < dims.size(); d++) {
        shape.add(((Number) dims.getValue(d)).longValue());
      }
      specs.add(new TensorSpec(t.getString("name"), type == null ? DataType.BYTES : type, shape));
    }
    return specs;
  }
}
