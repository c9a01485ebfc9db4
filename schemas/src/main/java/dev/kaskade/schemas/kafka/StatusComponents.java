package dev.kaskade.schemas.kafka;

/**
 * The {@code component} of a {@code ComponentStatus} report (and of its status-topic key, {@link
 * ResourceKeys#status}): who reports it and who reads it must spell it the same way.
 */
public final class StatusComponents {
  /** A model worker serving a predictor revision (or a TrainedModel on it). */
  public static final String PREDICTOR = "predictor";

  /** The stream processors' transformer of an InferenceService. */
  public static final String TRANSFORMER = "transformer";

  /** The stream processors' explainer of an InferenceService. */
  public static final String EXPLAINER = "explainer";

  /** The stream processors' router of an InferenceGraph. */
  public static final String GRAPH = "graph";

  /**
   * A node's copy of a LocalModelCache (revision = the node name), reported by the agent that
   * downloads it; {@code model_metadata_json} carries {@code {"sizeBytes": n, "path": "..."}}.
   */
  public static final String CACHE = "cache";

  private StatusComponents() {}
}
