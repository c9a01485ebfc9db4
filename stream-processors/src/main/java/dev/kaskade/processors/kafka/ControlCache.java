package dev.kaskade.processors.kafka;

import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest ResourceEvent per control key, read from the compacted control topic by a group-less
 * consumer from the beginning (every instance needs every resource). For the plain-consumer
 * components; Streams topologies use a global store instead.
 */
public final class ControlCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlCache.class);

  private final Map<String, ResourceEvent> resources = new ConcurrentHashMap<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<ResourceEvent> deserializer;
  private final Thread poller;
  private volatile boolean running = true;

  public ControlCache(
      String bootstrap, SchemaRegistryClient registry, String controlTopic, int maxMessageBytes) {
    this.consumer = new KafkaConsumer<>(ClientConfigs.consumer(bootstrap, null, maxMessageBytes));
    this.deserializer = new AvroDeserializer<>(registry, ResourceEvent.class);
    List<TopicPartition> partitions =
        consumer.partitionsFor(controlTopic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(controlTopic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.poller = Thread.ofPlatform().daemon().name("control-cache").start(this::poll);
  }

  /** The resource, if known. */
  public Optional<ResourceEvent> get(String kind, String namespace, String name) {
    return Optional.ofNullable(resources.get(ResourceKeys.resource(kind, namespace, name)));
  }

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          apply(record);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      resources.remove(record.key());
      return;
    }
    try {
      resources.put(record.key(), deserializer.deserialize(record.topic(), record.value()));
    } catch (RuntimeException e) {
      LOG.warn("skipping undecodable control record {}: {}", record.key(), e.getMessage());
    }
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
