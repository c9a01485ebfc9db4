package dev.kaskade.sink.chain;

import dev.kaskade.events.PayloadAuditRecord;
import java.util.Objects;

/**
 * One audit record as stored: where it came from in Kafka, the offset of the previous record of its
 * chain, and its chain value.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param prevOffset offset of the previous record of the same chain, -1 for the first
 * @param kafkaTimestamp the Kafka record timestamp
 * @param chain SHA-256(previous chain value ‖ canonical bytes of this record)
 * @param audit the record
 */
public record StoredRecord(
    String topic,
    int partition,
    long offset,
    long prevOffset,
    long kafkaTimestamp,
    byte[] chain,
    PayloadAuditRecord audit) {
  public StoredRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(audit, "audit");
  }

  /** The chain this record belongs to. */
  public ChainKey chainKey() {
    return ChainKey.of(audit, partition);
  }
}
