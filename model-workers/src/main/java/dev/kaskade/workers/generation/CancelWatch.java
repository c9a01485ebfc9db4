package dev.kaskade.workers.generation;

import dev.kaskade.events.GenerationCancel;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.Partitions;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the cancel broadcast topic from its end (no consumer group: every worker sees every
 * cancel) and remembers cancelled request ids for ten minutes, so a running generation can check
 * {@link #cancelled} once per token.
 */
public final class CancelWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CancelWatch.class);
  private static final long KEEP_MS = 600_000;

  private final Map<String, Long> cancelled = new ConcurrentHashMap<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<GenerationCancel> deserializer;
  private final String topic;
  private final Thread thread;
  private volatile boolean running = true;

  public CancelWatch(
      KafkaConnection bootstrap, SchemaRegistryClient registry, String topic, int maxMessageBytes) {
    Map<String, Object> config = ClientConfigs.consumer(bootstrap, null, maxMessageBytes);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kaskade-worker-cancel-watch");
    this.consumer = new KafkaConsumer<>(config);
    this.deserializer = new AvroDeserializer<>(registry, GenerationCancel.class);
    this.topic = topic;
    this.thread = Thread.ofPlatform().name("kaskade-cancel-watch").daemon().unstarted(this::run);
  }

  public void start() {
    List<TopicPartition> partitions = Partitions.of(consumer, topic, Duration.ofSeconds(30));
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread.start();
  }

  public boolean cancelled(String requestId) {
    return cancelled.containsKey(requestId);
  }

  /** Marks a request cancelled locally (deadline, shutdown). */
  public void cancel(String requestId) {
    cancelled.put(requestId, System.currentTimeMillis());
  }

  private void run() {
    while (running) {
      try {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          try {
            GenerationCancel cancel = deserializer.deserialize(record.topic(), record.value());
            if (cancel != null) {
              cancel(cancel.getRequestId());
            }
          } catch (RuntimeException e) {
            LOG.warn("undecodable cancel on {}: {}", topic, e.toString());
          }
        }
        long oldest = System.currentTimeMillis() - KEEP_MS;
        cancelled.values().removeIf(t -> t < oldest);
      } catch (WakeupException e) {
        break;
      } catch (KafkaException e) {
        LOG.warn("cancel watch: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(1));
  }
}
