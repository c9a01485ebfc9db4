package dev.kaskade.processors.kafka;

import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.serde.PoisonRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead-letter records for String-keyed consumers, with the same headers as {@link PoisonRecords}.
 */
public final class DeadLetters {
  public static final String COMPONENT = "stream-processors";

  private DeadLetters() {}

  public static ProducerRecord<String, byte[]> of(
      String deadLetterTopic,
      ConsumerRecord<String, byte[]> record,
      Reason reason,
      String message) {
    return new ProducerRecord<>(
        deadLetterTopic,
        null,
        record.key(),
        record.value(),
        headers(
            record.headers(),
            reason,
            message,
            PoisonRecords.source(record.topic(), record.partition(), record.offset())));
  }

  /** A copy of the headers plus the dead-letter reason, message and source. */
  public static Headers headers(Headers original, Reason reason, String message, String source) {
    RecordHeaders headers = new RecordHeaders(original.toArray());
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_REASON, reason.name());
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_MESSAGE, message);
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_SOURCE, source);
    return headers;
  }
}
