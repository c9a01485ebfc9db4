package dev.kaskade.workers.batch;

import dev.kaskade.workers.backend.ModelBatching;
import java.util.Optional;

/**
 * When a batch is flushed: at {@code maxBatchSize} rows or {@code maxLatencyMs} after its first
 * request (the InferenceService {@code batcher} fields). Without a batcher, each poll's requests
 * form the batch ({@link #perPoll()}).
 */
public record BatchPolicy(int maxBatchSize, long maxLatencyMs) {
  public BatchPolicy {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
    }
    if (maxLatencyMs < 0) {
      throw new IllegalArgumentException("maxLatencyMs must be >= 0, got " + maxLatencyMs);
    }
  }

  /** No batcher configured: merge what one poll returns, never wait for more. */
  public static BatchPolicy perPoll() {
    return new BatchPolicy(Integer.MAX_VALUE, 0);
  }

  /**
   * The policy for a model that brings its own batching settings (a Triton {@code config.pbtxt}):
   *
   * <ul>
   *   <li>{@code max_batch_size} 0 (no batch dimension), or no {@code dynamic_batching}: every
   *       request runs alone, as Triton does;
   *   <li>an InferenceService {@code batcher} keeps its latency, its size capped at the model's
   *       {@code max_batch_size};
   *   <li>otherwise {@code dynamic_batching}: flush at the largest preferred batch size within
   *       {@code max_batch_size} (or at {@code max_batch_size}), or {@code
   *       max_queue_delay_microseconds} after the first request, rounded up to the window's whole
   *       milliseconds.
   * </ul>
   */
  public static BatchPolicy forModel(Optional<BatchPolicy> batcher, ModelBatching model) {
    int max = model.maxBatchSize();
    if (max == 0) {
      return new BatchPolicy(1, 0);
    }
    if (batcher.isPresent()) {
      return new BatchPolicy(
          Math.min(batcher.get().maxBatchSize(), max), batcher.get().maxLatencyMs());
    }
    if (!model.dynamic()) {
      return new BatchPolicy(1, 0);
    }
    int size =
        model.preferredBatchSizes().stream()
            .filter(p -> p >= 1 && p <= max)
            .max(Integer::compare)
            .orElse(max);
    return new BatchPolicy(size, Math.ceilDiv(model.maxQueueDelayMicros(), 1000L));
  }
}
