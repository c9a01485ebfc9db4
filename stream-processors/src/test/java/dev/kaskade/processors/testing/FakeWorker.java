package dev.kaskade.processors.testing;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.processors.transform.TransformerHeaders;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A real (tiny) model worker for ITs: consumes a request topic and answers by the worker
 * convention: to {@code kaskade-response-topic} when set, else the responses topic, and to {@code
 * kaskade-reply-to}, copying the correlation id.
 */
public final class FakeWorker implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final Thread thread;
  private volatile boolean running = true;

  public FakeWorker(
      SchemaRegistryClient registry,
      String bootstrap,
      String topic,
      String responsesTopic,
      Function<InferenceRequest, InferenceResponse> model) {
    consumer =
        new KafkaConsumer<>(
            ClientConfigs.consumer(bootstrap, "fake-" + UUID.randomUUID(), 1 << 24));
    producer = new KafkaProducer<>(ClientConfigs.producer(bootstrap, 1 << 24));
    AvroDeserializer<InferenceRequest> in =
        new AvroDeserializer<>(registry, InferenceRequest.class);
    AvroSerializer<InferenceResponse> out = new AvroSerializer<>(registry);
    consumer.subscribe(java.util.List.of(topic));
    thread =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                      InferenceResponse response =
                          model.apply(in.deserialize(r.topic(), r.value()));
                      RecordHeaders headers = new RecordHeaders(r.headers().toArray());
                      String target =
                          KaskadeHeaders.get(r.headers(), TransformerHeaders.RESPONSE_TOPIC);
                      target = target == null ? responsesTopic : target;
                      producer.send(
                          new ProducerRecord<>(
                              target, null, r.key(), out.serialize(target, response), headers));
                      String replyTo = KaskadeHeaders.get(r.headers(), KaskadeHeaders.REPLY_TO);
                      if (replyTo != null) {
                        producer.send(
                            new ProducerRecord<>(
                                replyTo, null, r.key(), out.serialize(replyTo, response), headers));
                      }
                    }
                  }
                  consumer.close();
                });
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
  }
}
