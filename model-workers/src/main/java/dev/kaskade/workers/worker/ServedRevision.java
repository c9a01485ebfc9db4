package dev.kaskade.workers.worker;

import dev.kaskade.events.PredictorSpec;
import java.util.Map;

/**
 * A predictor revision a worker serves: the InferenceService it belongs to, its spec and the
 * InferenceService's monitor settings ({@code monitor_json}, null when none).
 */
public record ServedRevision(
    String namespace,
    String inferenceService,
    PredictorSpec predictor,
    Map<String, String> annotations,
    String monitorJson) {
  public ServedRevision {
    annotations = Map.copyOf(annotations);
  }

  public String revision() {
    return predictor.getRevision();
  }

  /** {@code namespace/isvc/revision}. */
  public String key() {
    return namespace + "/" + inferenceService + "/" + revision();
  }
}
