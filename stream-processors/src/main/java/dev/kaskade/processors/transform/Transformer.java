package dev.kaskade.processors.transform;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import java.util.Map;

/**
 * A user transformer, the Kaskade counterpart of KServe's {@code Model.preprocess/postprocess}.
 * Implementations are found with {@link java.util.ServiceLoader} (a {@code
 * META-INF/services/dev.kaskade.processors.transform.Transformer} entry) in the jar named by the
 * TransformerSpec's {@code storage_uri}, or by class name ({@code spi_class}). They must be
 * thread-safe and side-effect free; a thrown exception becomes the caller's error response ({@code
 * KaskadeException} keeps its reason, anything else is INTERNAL).
 */
public interface Transformer {

  /** Turns the caller's request into the predictor's; headers are the record's, read-only. */
  default InferenceRequest preprocess(InferenceRequest request, Map<String, String> headers) {
    return request;
  }

  /** Turns the predictor's response into the caller's. */
  default InferenceResponse postprocess(InferenceResponse response, Map<String, String> headers) {
    return response;
  }
}
