package dev.kaskade.processors.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.json.Payloads;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a graph's answer, for callers that read outputs rather than the V1 body (V2, gRPC,
 * Kafka): a step's own output tensors, and for an Ensemble every step's outputs renamed {@code
 * <stepName>.<outputName>}.
 */
final class GraphOutputs {
  /** Name of the tensor made from a JSON-only answer's numeric {@code predictions}. */
  static final String JSON_OUTPUT = "output-0";

  private GraphOutputs() {}

  /** A step's outputs: its tensors, else its numeric {@code predictions} as one FP64 tensor. */
  static List<Tensor> of(InferenceResponse response, JsonNode body) {
    if (!response.getOutputs().isEmpty()) {
      return response.getOutputs();
    }
    double[][] rows = body == null ? null : Json.matrixOrNull(body.get("predictions"));
    if (rows == null || rows.length == 0) {
      return List.of();
    }
    try {
      return List.of(Payloads.tensor(JSON_OUTPUT, DataType.FP64, rows));
    } catch (RuntimeException ragged) {
      return List.of();
    }
  }

  /** The tensors renamed {@code <prefix>.<name>}, so that the steps of an Ensemble do not clash. */
  static List<Tensor> prefixed(String prefix, List<Tensor> outputs) {
    List<Tensor> out = new ArrayList<>(outputs.size());
    for (Tensor t : outputs) {
      // the all-fields constructor shares the data; a builder copy would deep-copy it
      out.add(
          new Tensor(
              prefix + "." + t.getName(),
              t.getDatatype(),
              t.getShape(),
              t.getData(),
              t.getParameters()));
    }
    return out;
  }
}
