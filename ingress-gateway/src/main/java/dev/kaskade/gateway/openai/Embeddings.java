package dev.kaskade.gateway.openai;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Translates OpenAI embeddings to a V2 call on an encoder model and back. The encoder contract: one
 * BYTES input of shape [N] (the texts); outputs {@code embedding} FP32 [N,D] and {@code
 * token_count} INT64 [N]. Vectors come back as JSON floats or, for {@code encoding_format:
 * "base64"} (the openai SDKs' default), as base64 of little-endian float32. Pure.
 */
public final class Embeddings {
  public static final String OUTPUT = "embedding";
  public static final String TOKEN_COUNT = "token_count";
  static final int MAX_INPUTS = 2048;

  private Embeddings() {}

  /** A validated request. */
  public record Request(String model, List<String> texts, boolean base64) {}

  public static Request parse(JsonObject body) {
    String model = OpenAiRequests.model(body);
    Object input = body.getValue("input");
    List<String> texts = new ArrayList<>();
    if (input instanceof String s) {
      texts.add(s);
    } else if (input instanceof JsonArray array && !array.isEmpty()) {
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof String s)) {
          throw OpenAiError.invalid(
              "input",
              "input must be a string or an array of strings (token ids are not supported)");
        }
        texts.add(s);
      }
    } else {
      throw OpenAiError.invalid("input", "input must be a non-empty string or array of strings");
    }
    if (texts.size() > MAX_INPUTS) {
      throw OpenAiError.invalid("input", "input may hold at most " + MAX_INPUTS + " strings");
    }
    Object format = body.getValue("encoding_format");
    if (format != null && !"float".equals(format) && !"base64".equals(format)) {
      throw OpenAiError.invalid("encoding_format", "encoding_format must be 'float' or 'base64'");
    }
    return new Request(model, texts, "base64".equals(format));
  }

  /** The V2 input tensor: the texts as BYTES [N]. */
  public static Tensor input(String name, List<String> texts) {
    return Tensors.ofStrings(name, List.of((long) texts.size()), texts);
  }

  /** The OpenAI response for the encoder's outputs. */
  public static JsonObject response(String model, Request request, List<Tensor> outputs) {
    Tensor embedding = find(outputs, OUTPUT);
    if (embedding == null || embedding.getDatatype() != DataType.FP32) {
      throw new OpenAiError(
          500,
          "server_error",
          "Model " + model + " returned no FP32 'embedding' output.",
          null,
          null);
    }
    int n = request.texts().size();
    float[] values = Tensors.toFloats(embedding);
    if (n == 0 || values.length % n != 0) {
      throw new OpenAiError(
          500,
          "server_error",
          "Model " + model + " returned an embedding of the wrong size.",
          null,
          null);
    }
    int dims = values.length / n;
    JsonArray data = new JsonArray();
    for (int i = 0; i < n; i++) {
      JsonObject item = new JsonObject().put("object", "embedding").put("index", i);
      if (request.base64()) {
        item.put("embedding", base64(values, i * dims, dims));
      } else {
        JsonArray vector = new JsonArray();
        for (int d = 0; d < dims; d++) {
          vector.add(values[i * dims + d]);
        }
        item.put("embedding", vector);
      }
      data.add(item);
    }
    long tokens = 0;
    Tensor counts = find(outputs, TOKEN_COUNT);
    if (counts != null) {
      for (double c : Tensors.toDoubles(counts)) {
        tokens += (long) c;
      }
    }
    return new JsonObject()
        .put("object", "list")
        .put("data", data)
        .put("model", model)
        .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens));
  }

  static String base64(float[] values, int offset, int length) {
    ByteBuffer bytes = ByteBuffer.allocate(length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < length; i++) {
      bytes.putFloat(values[offset + i]);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static Tensor find(List<Tensor> outputs, String name) {
    return outputs.stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
  }
}
