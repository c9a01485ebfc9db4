package dev.kaskade.processors.testing;

import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroSerializer;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Produces one Avro record (Confluent wire format) with string headers and waits for it. */
public final class AvroSend {
  private AvroSend() {}

  public static <T extends SpecificRecord> void send(
      KafkaProducer<String, byte[]> producer,
      SchemaRegistryClient registry,
      String topic,
      String key,
      T value,
      Map<String, String> headers) {
    RecordHeaders h = new RecordHeaders();
    headers.forEach((k, v) -> KaskadeHeaders.put(h, k, v));
    producer.send(
        new ProducerRecord<>(
            topic, null, key, new AvroSerializer<T>(registry).serialize(topic, value), h));
    producer.flush();
  }
}
