package dev.kaskade.workers.testing;

import static org.awaitility.Awaitility.await;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.topic.TopicSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic from the beginning (no group) and decodes its values (type null: raw). */
public final class TopicReader<T extends SpecificRecord> implements AutoCloseable {
  /** A decoded record with its headers. */
  public record Received<T>(String key, T value, ConsumerRecord<String, byte[]> raw) {
    public String header(String name) {
      return dev.kaskade.schemas.kafka.KaskadeHeaders.get(raw.headers(), name);
    }
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<T> deserializer;
  private final List<Received<T>> received = new ArrayList<>();
  private final String topic;

  public TopicReader(String topic, Class<T> type) {
    this.topic = topic;
    this.consumer =
        new KafkaConsumer<>(
            ClientConfigs.consumer(
                KafkaTestEnv.bootstrap(), null, TopicSettings.DEFAULT_MAX_MESSAGE_BYTES));
    this.deserializer = type == null ? null : new AvroDeserializer<>(KafkaTestEnv.registry(), type);
  }

  /** Everything read so far, after one more poll. */
  public synchronized List<Received<T>> poll() {
    if (consumer.assignment().isEmpty()) {
      var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (partitions == null || partitions.isEmpty()) {
        return List.copyOf(received);
      }
      List<TopicPartition> assigned =
          partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
    }
    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
      T value =
          record.value() == null || deserializer == null
              ? null
              : deserializer.deserialize(topic, record.value());
      received.add(new Received<>(record.key(), value, record));
    }
    return List.copyOf(received);
  }

  /** Waits until some record matches and returns the first match. */
  public Received<T> awaitRecord(Predicate<Received<T>> match, Duration timeout) {
    List<Received<T>> found = new ArrayList<>();
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              poll().stream().filter(match).findFirst().ifPresent(found::add);
              return !found.isEmpty();
            });
    return found.get(0);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(1));
  }
}
