package dev.kaskade.gateway.codec;

import dev.kaskade.events.Tensor;
import dev.kaskade.gateway.GatewayConfig;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.schemas.topic.NameChars;
import io.vertx.core.json.JsonArray;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The checks every call passes at the gateway whatever its route (predictor, transformer, graph,
 * explainer), before anything is produced: the request id and the shape of every input tensor.
 * Pure; failures are INVALID_ARGUMENT naming the rule and, for limits, the setting.
 */
public final class RequestChecks {
  private RequestChecks() {}

  /**
   * Refuses request ids that are empty, longer than the limit or use characters outside {@code
   * [A-Za-z0-9._:-]}. The id becomes a Kafka key and header, an audit key and a CloudEvents id, so
   * it must be safe in all of them; UUIDs and the ids KServe clients generate pass. The id itself
   * is not echoed: it may be huge or hold control characters.
   */
  public static void requestId(String id, GatewayConfig.RequestLimits limits) {
    int max = limits.maxRequestIdLength();
    if (id.length() > max) {
      throw KaskadeException.invalid(
          "request id of %d characters is longer than the limit of %d (setting %s)"
              .formatted(id.length(), max, GatewayConfig.MAX_REQUEST_ID_LENGTH));
    }
    if (!NameChars.isRequestId(id)) {
      throw KaskadeException.invalid(
          "request id must be 1 to %d characters from [A-Za-z0-9._:-]".formatted(max));
    }
  }

  /**
   * Refuses a JSON part (a V1 body, a V2 JSON body or the JSON header of a binary one) over its own
   * limit, before it is parsed: parsed JSON numbers take several times their text size, so JSON
   * gets a smaller limit than raw binary tensor data.
   */
  public static void jsonSize(long bytes, GatewayConfig.RequestLimits limits) {
    if (bytes > limits.maxJsonBodyBytes()) {
      throw new KaskadeException(
          Reason.PAYLOAD_TOO_LARGE,
          "JSON request body of %d bytes exceeds the limit of %d bytes (setting %s); send large tensors with the binary tensor data extension"
              .formatted(bytes, limits.maxJsonBodyBytes(), GatewayConfig.MAX_JSON_BODY_BYTES));
    }
  }

  /** {@link Tensors#validateShape} on every input, with the rank limit of the settings. */
  public static void shapes(List<Tensor> inputs, GatewayConfig.RequestLimits limits) {
    for (Tensor t : inputs) {
      rank(t.getName(), t.getShape().size(), limits);
      Tensors.validateShape(t.getName(), t.getShape(), limits.maxTensorRank());
    }
  }

  /**
   * The nesting depth of a JSON array kept as JSON (V1 bodies for transformers and graphs), which
   * the processors turn into a shape: it obeys the same rank limit as a tensor. Every element is
   * walked, not just the first, since a ragged body such as {@code [[1],[[[[...]]]]]} hides its
   * depth after element 0; the walk uses its own stack so a deep body cannot overflow the thread's.
   */
  public static void nesting(String name, JsonArray rows, GatewayConfig.RequestLimits limits) {
    Deque<Level> pending = new ArrayDeque<>();
    pending.push(new Level(rows, 1));
    while (!pending.isEmpty()) {
      Level level = pending.pop();
      rank(name, level.depth(), limits);
      for (int i = 0; i < level.array().size(); i++) {
        if (level.array().getValue(i) instanceof JsonArray inner) {
          pending.push(new Level(inner, level.depth() + 1));
        }
      }
    }
  }

  private record Level(JsonArray array, int depth) {}

  private static void rank(String name, int rank, GatewayConfig.RequestLimits limits) {
    if (rank > limits.maxTensorRank()) {
      throw KaskadeException.invalid(
          "tensor '%s' has more than %d dimensions (setting %s)"
              .formatted(name, limits.maxTensorRank(), GatewayConfig.MAX_TENSOR_RANK));
    }
  }
}
