package dev.kaskade.schemas.serde;

import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds dead-letter records: the original bytes plus headers saying where from and why. */
public final class PoisonRecords {
  private PoisonRecords() {}

  /** "topic-partition@offset", the way logs and dead-letter headers name a record. */
  public static String source(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }

  /** A message that names the record's topic, partition and offset. */
  public static String describe(ConsumerRecord<?, ?> record, Exception cause) {
    return "cannot decode "
        + source(record.topic(), record.partition(), record.offset())
        + ": "
        + cause.getMessage();
  }

  public static ProducerRecord<byte[], byte[]> deadLetter(
      String deadLetterTopic,
      ConsumerRecord<byte[], byte[]> record,
      Reason reason,
      String message) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_REASON, reason.name());
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_MESSAGE, message);
    KaskadeHeaders.put(
        headers,
        KaskadeHeaders.DLQ_SOURCE,
        source(record.topic(), record.partition(), record.offset()));
    return new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers);
  }
}
