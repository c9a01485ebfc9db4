package dev.kaskade.loadtests.gateway;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads an InferenceService's {@code responses} topic (every worker answer is written there too,
 * whoever called) from its end, and keeps what the worker reported per request id: {@code
 * compute_time_us} (model execution) and {@code queue_time_us} (record timestamp → execution, so it
 * includes the Kafka hop to the worker, millisecond resolution).
 */
public final class WorkerTimes implements AutoCloseable {
  /** What the worker reported for one request. */
  public record Reported(long queueUs, long computeUs, int batchSize) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<InferenceResponse> decoder;
  private final Map<String, Reported> byId = new ConcurrentHashMap<>();
  private final Thread poller;
  private volatile boolean running = true;

  public WorkerTimes(String bootstrap, SchemaRegistryClient registry, String responsesTopic) {
    consumer = new KafkaConsumer<>(ClientConfigs.consumer(bootstrap, null, 8 * 1024 * 1024));
    decoder = new AvroDeserializer<>(registry, InferenceResponse.class);
    List<TopicPartition> partitions =
        consumer.partitionsFor(responsesTopic).stream()
            .map(p -> new TopicPartition(responsesTopic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve the end now, before any request is sent
    poller = Thread.ofPlatform().name("bench-worker-times").daemon().start(this::poll);
  }

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          InferenceResponse r = decoder.deserialize(record.topic(), record.value());
          if (r != null && r.getError() == null) {
            byId.put(
                record.key(),
                new Reported(r.getQueueTimeUs(), r.getComputeTimeUs(), r.getBatchSize()));
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  /** What the worker reported for this request id, or null (not seen yet). */
  public Reported get(String id) {
    return byId.get(id);
  }

  public void clear() {
    byId.clear();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
