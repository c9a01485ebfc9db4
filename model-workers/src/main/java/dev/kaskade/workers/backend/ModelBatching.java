package dev.kaskade.workers.backend;

import java.util.List;

/**
 * The batching a model's own configuration asks for (a Triton {@code config.pbtxt}); the worker
 * maps it onto its batch window when the InferenceService sets no {@code batcher}.
 *
 * @param maxBatchSize largest batch one execution may take; 0 = the model has no batch dimension
 * @param dynamic whether requests may be merged ({@code dynamic_batching} present)
 * @param maxQueueDelayMicros how long a request may wait for others to merge with
 * @param preferredBatchSizes batch sizes the model runs best at (may be empty)
 */
public record ModelBatching(
    int maxBatchSize,
    boolean dynamic,
    long maxQueueDelayMicros,
    List<Integer> preferredBatchSizes) {
  public ModelBatching {
    if (maxBatchSize < 0) {
      throw new IllegalArgumentException("maxBatchSize must be >= 0, got " + maxBatchSize);
    }
    if (maxQueueDelayMicros < 0) {
      throw new IllegalArgumentException("maxQueueDelayMicros must be >= 0");
    }
    preferredBatchSizes = List.copyOf(preferredBatchSizes);
  }
}
