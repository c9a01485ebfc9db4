package dev.kaskade.gateway.codec;

import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.gateway.route.ModelMetadata;
import dev.kaskade.gateway.route.ModelMetadata.TensorSpec;
import dev.kaskade.schemas.error.KaskadeException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure codec of the KServe V1 body. Numeric rows become one tensor named and typed after the
 * model's first input; anything else travels as {@code json_payload} for a transformer or custom
 * model.
 */
public final class V1Json {
  private static final String DEFAULT_INPUT = "input-0";

  private V1Json() {}

  /** What a V1 body turns into: one tensor, or the JSON kept as is. */
  public record V1Input(List<Tensor> inputs, String jsonPayload) {}

  /** The {@code instances} (or {@code inputs}) array of a V1 body. */
  public static JsonArray instances(JsonObject body) {
    Object v = body.getValue("instances");
    if (v == null) {
      v = body.getValue("inputs");
    }
    if (!(v instanceof JsonArray array)) {
      throw KaskadeException.invalid(
          "Unrecognized request format: expected \"instances\" or \"inputs\" to be a list");
    }
    return array;
  }

  public static JsonObject parseBody(String text) {
    if (text == null || text.isBlank()) {
      throw KaskadeException.invalid("Unrecognized request format: the body is empty");
    }
    try {
      Object v = Json.decodeValue(text);
      if (v instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException e) {
      throw KaskadeException.invalid("Unrecognized request format: " + e.getMessage());
    }
    throw KaskadeException.invalid("Unrecognized request format: the body is not a JSON object");
  }

  /** Converts the body for the model; {@code passThrough} keeps it JSON (transformer, graph). */
  public static V1Input toInput(JsonObject body, ModelMetadata metadata, boolean passThrough) {
    JsonArray instances = instances(body);
    if (passThrough || instances.isEmpty() || !isNumeric(instances)) {
      return new V1Input(List.of(), body.encode());
    }
    TensorSpec first = metadata.inputs().isEmpty() ? null : metadata.inputs().get(0);
    String name = first == null ? DEFAULT_INPUT : first.name();
    DataType type =
        first == null || first.datatype() == DataType.BYTES ? DataType.FP32 : first.datatype();
    List<Long> shape = JsonData.shapeOf(name, instances);
    Tensor t = TensorValues.tensor(name, type, shape, JsonData.flatten(instances));
    return new V1Input(List.of(t), null);
  }

  private static boolean isNumeric(JsonArray array) {
    for (int i = 0; i < array.size(); i++) {
      Object v = array.getValue(i);
      boolean ok = v instanceof Number || (v instanceof JsonArray a && isNumeric(a));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * The V1 answer: rows of the first output as {@code predictions}, or the JSON payload the model
   * returned (wrapped in {@code predictions} unless it already is an object).
   */
  public static JsonObject predictions(InferenceResponse response) {
    if (response.getJsonPayload() != null) {
      Object v;
      try {
        v = Json.decodeValue(response.getJsonPayload());
      } catch (DecodeException e) {
        v = response.getJsonPayload();
      }
      return v instanceof JsonObject o ? o : new JsonObject().put("predictions", v);
    }
    if (response.getOutputs().isEmpty()) {
      return new JsonObject().put("predictions", new JsonArray());
    }
    Tensor first = response.getOutputs().get(0);
    List<Long> shape = new ArrayList<>(first.getShape());
    Object nested = JsonData.nest(TensorValues.decode(first), shape);
    JsonArray rows = nested instanceof JsonArray a ? a : new JsonArray().add(nested);
    return new JsonObject().put("predictions", rows);
  }
}
