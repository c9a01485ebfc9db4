package dev.kaskade.workers.batch;

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
}
