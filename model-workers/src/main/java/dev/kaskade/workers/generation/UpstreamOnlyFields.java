package dev.kaskade.workers.generation;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * OpenAI request fields that only an OpenAI-compatible upstream can honour (function calling): the
 * in-process backends reject them with a 400 naming the field rather than silently ignoring them,
 * which would return prose where the client expects a tool call.
 */
public final class UpstreamOnlyFields {
  static final List<String> FIELDS = List.of("tools", "tool_choice", "functions", "function_call");

  private UpstreamOnlyFields() {}

  /**
   * @throws GenerationException 400 {@code invalid_request_error} when the request uses one
   */
  public static void reject(String backend, GenerationSpec spec) throws GenerationException {
    JsonObject body;
    try {
      body =
          new JsonObject(
              spec.rawBody() == null || spec.rawBody().isBlank() ? "{}" : spec.rawBody());
    } catch (DecodeException | ClassCastException e) {
      return; // the gateway validated the body; nothing here to reject
    }
    for (String field : FIELDS) {
      if (used(body.getValue(field))) {
        throw new GenerationException(
            400,
            "invalid_request_error",
            "'%s' is not supported by the %s backend (no function calling); serve the model through an OpenAI-compatible upstream (annotation kaskade.dev/upstream-url) to use tools"
                .formatted(field, backend));
      }
    }
  }

  /** null, [] and "none" ask for nothing. */
  private static boolean used(Object value) {
    return value != null && !"none".equals(value) && !(value instanceof JsonArray a && a.isEmpty());
  }
}
