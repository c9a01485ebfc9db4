package dev.kaskade.processors.testing;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A caller's reply topic for ITs: reads every InferenceResponse on it, by correlation id, on a
 * daemon thread until closed.
 */
public final class ReplyReader implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, InferenceResponse> replies = new ConcurrentHashMap<>();
  private final Thread thread;

  public ReplyReader(
      String bootstrap, SchemaRegistryClient registry, String replyTopic, String groupId) {
    consumer = new KafkaConsumer<>(ClientConfigs.consumer(bootstrap, groupId, 1 << 24));
    consumer.subscribe(List.of(replyTopic));
    AvroDeserializer<InferenceResponse> d =
        new AvroDeserializer<>(registry, InferenceResponse.class);
    thread =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    while (true) {
                      for (ConsumerRecord<String, byte[]> r :
                          consumer.poll(Duration.ofMillis(100))) {
                        replies.put(
                            KaskadeHeaders.get(r.headers(), KaskadeHeaders.CORRELATION_ID),
                            d.deserialize(r.topic(), r.value()));
                      }
                    }
                  } catch (WakeupException e) {
                    consumer.close();
                  }
                });
  }

  /** The reply with this correlation id, once it has arrived. */
  public Optional<InferenceResponse> get(String correlationId) {
    return Optional.ofNullable(replies.get(correlationId));
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(5000);
  }
}
