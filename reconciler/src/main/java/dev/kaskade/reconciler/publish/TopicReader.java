package dev.kaskade.reconciler.publish;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.SerializationFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a topic from the beginning to its current end (no consumer group, nothing committed). */
public final class TopicReader {
  private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicReader() {}

  /** The latest value per key of a compacted topic; tombstoned keys are absent. */
  public static <T extends SpecificRecord> Map<String, T> latestByKey(
      KaskadeContext ctx, String topic, Class<T> type) {
    Map<String, T> values = new LinkedHashMap<>();
    read(
        ctx,
        topic,
        type,
        (key, value) -> {
          if (value == null) {
            values.remove(key);
          } else {
            values.put(key, value);
          }
        });
    return values;
  }

  /** Calls {@code sink} for every record in offset order per partition. */
  public static <T extends SpecificRecord> void read(
      KaskadeContext ctx, String topic, Class<T> type, BiConsumer<String, T> sink) {
    AvroDeserializer<T> deserializer = new AvroDeserializer<>(ctx.registry(), type);
    Map<String, Object> config =
        ClientConfigs.consumer(ctx.kafka(), null, ctx.topicSettings().maxMessageBytes());
    // A read to the end lives for a moment and never idles: ask again quickly rather than with
    // the long poll of Kaskade's followers (measured: a second of `kaskade up`'s start).
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, ClientConfigs.FETCH_MAX_WAIT_MS_SHORT);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        return;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out reading " + topic + " to its end");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          decode(deserializer, record, sink);
        }
      }
    }
  }

  private static <T extends SpecificRecord> void decode(
      AvroDeserializer<T> deserializer,
      ConsumerRecord<String, byte[]> record,
      BiConsumer<String, T> sink) {
    try {
      sink.accept(record.key(), deserializer.deserialize(record.topic(), record.value()));
    } catch (SerializationFailure e) {
      LOG.warn(
          "skipping undecodable record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    }
  }

  private static boolean caughtUp(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}
