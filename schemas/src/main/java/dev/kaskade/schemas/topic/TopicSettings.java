package dev.kaskade.schemas.topic;

/**
 * Sizing of the topics Kaskade creates.
 *
 * @param partitions partitions of data topics (requests, responses, audit)
 * @param replicationFactor replicas per partition (1 standalone)
 * @param maxMessageBytes the largest record; producers ({@code max.request.size}), topics ({@code
 *     max.message.bytes}) and consumers ({@code max.partition.fetch.bytes}) all use this value so
 *     an oversized payload fails at the producer with a clear error
 * @param retentionMs retention of data topics
 * @param replyRetentionMs retention of gateway reply topics
 * @param compactedSegmentMs segment roll time of compacted topics
 */
public record TopicSettings(
    int partitions,
    short replicationFactor,
    int maxMessageBytes,
    long retentionMs,
    long replyRetentionMs,
    long compactedSegmentMs) {
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  public TopicSettings {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1");
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replicationFactor must be >= 1");
    }
  }

  /** Single-node defaults used by {@code kaskade up} and the tests. */
  public static TopicSettings standalone() {
    return new TopicSettings(
        2, (short) 1, DEFAULT_MAX_MESSAGE_BYTES, 7L * 24 * 3600 * 1000, 3600_000L, 600_000L);
  }

  /** These settings with another replication factor (the one topics are created with). */
  public TopicSettings withReplicationFactor(short value) {
    return new TopicSettings(
        partitions, value, maxMessageBytes, retentionMs, replyRetentionMs, compactedSegmentMs);
  }
}
