package dev.kaskade.schemas.tensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Renders requests and responses as Open Inference Protocol (V2) JSON bodies, tensors as flat JSON
 * arrays: the body of the CloudEvents the payload logger delivers over HTTP.
 */
public final class V2Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private V2Json() {}

  public static ObjectNode request(InferenceRequest request) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", request.getId());
    node.put("model_name", request.getModel());
    if (request.getModelVersion() != null) {
      node.put("model_version", request.getModelVersion());
    }
    putParameters(node, request.getParameters());
    node.set("inputs", tensors(request.getInputs()));
    if (request.getJsonPayload() != null) {
      node.set("json_payload", parseOrText(request.getJsonPayload()));
    }
    if (request.getGeneration() != null) {
      // An OpenAI generation: the caller's request body as validated (prompt or messages, params)
      node.set("openai_request", parseOrText(request.getGeneration().getBody()));
      node.put("openai_api", request.getGeneration().getApi().name());
    }
    return node;
  }

  public static ObjectNode response(InferenceResponse response) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", response.getId());
    node.put("model_name", response.getModel());
    node.put("model_version", response.getModelVersion());
    putParameters(node, response.getParameters());
    node.set("outputs", tensors(response.getOutputs()));
    if (response.getJsonPayload() != null) {
      node.set("json_payload", parseOrText(response.getJsonPayload()));
    }
    if (response.getError() != null) {
      node.put("error", response.getError().getCode() + ": " + response.getError().getMessage());
    }
    if (response.getGeneration() != null) {
      var g = response.getGeneration();
      node.set("openai_response", parseOrText(g.getBody()));
      ObjectNode timings = node.putObject("generation_timings_ms");
      timings.put("queue", g.getQueueTimeMs());
      timings.put("time_to_first_token", g.getTimeToFirstTokenMs());
      timings.put("total", g.getTotalTimeMs());
    }
    return node;
  }

  public static byte[] bytes(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  public static ArrayNode tensors(List<Tensor> tensors) {
    ArrayNode array = MAPPER.createArrayNode();
    for (Tensor tensor : tensors) {
      ObjectNode t = array.addObject();
      t.put("name", tensor.getName());
      t.put("datatype", tensor.getDatatype().name());
      ArrayNode shape = t.putArray("shape");
      tensor.getShape().forEach(shape::add);
      t.set("data", data(tensor));
    }
    return array;
  }

  private static ArrayNode data(Tensor tensor) {
    ArrayNode data = MAPPER.createArrayNode();
    if (!tensor.getData().hasRemaining()) {
      return data;
    }
    switch (tensor.getDatatype()) {
      case BYTES ->
          Tensors.toByteElements(tensor)
              .forEach(e -> data.add(new String(e, StandardCharsets.UTF_8)));
      case BOOL -> {
        for (double v : Tensors.toDoubles(tensor)) {
          data.add(v != 0);
        }
      }
      case FP16, FP32, FP64, BF16 -> {
        for (double v : Tensors.toDoubles(tensor)) {
          data.add(v);
        }
      }
      default -> {
        for (double v : Tensors.toDoubles(tensor)) {
          data.add((long) v);
        }
      }
    }
    return data;
  }

  private static void putParameters(ObjectNode node, Map<String, String> parameters) {
    if (parameters != null && !parameters.isEmpty()) {
      ObjectNode params = node.putObject("parameters");
      parameters.forEach(params::put);
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode parseOrText(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return MAPPER.getNodeFactory().textNode(json);
    }
  }
}
