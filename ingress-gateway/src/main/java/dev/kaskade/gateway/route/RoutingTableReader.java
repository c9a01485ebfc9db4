package dev.kaskade.gateway.route;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.Partitions;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.PoisonRecords;
import dev.kaskade.schemas.serde.SerializationFailure;
import dev.kaskade.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted control and status topics from the beginning on its own thread (no consumer
 * group: every gateway instance needs the whole table) and applies each record to the {@link
 * RoutingTable}. Also answers the readiness questions "caught up?" and "Kafka reachable?".
 */
public final class RoutingTableReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoutingTableReader.class);
  private static final long REACHABLE_WINDOW_MS = 10_000;
  private static final long PROBE_INTERVAL_MS = 2_000;

  private final RoutingTable table;
  private final Topics topics;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<ResourceEvent> resourceDecoder;
  private final AvroDeserializer<ComponentStatus> statusDecoder;
  private final Thread thread;
  private final AtomicLong lastReachableMs = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private volatile Map<TopicPartition, Long> startEnd;
  private volatile boolean caughtUp;
  private volatile boolean running = true;

  public RoutingTableReader(
      RoutingTable table,
      Topics topics,
      KafkaConnection bootstrap,
      SchemaRegistryClient registry,
      int maxMessageBytes) {
    this.table = table;
    this.topics = topics;
    Map<String, Object> config = ClientConfigs.consumer(bootstrap, null, maxMessageBytes);
    config.put("client.id", "kaskade-gateway-routing");
    this.consumer = new KafkaConsumer<>(config);
    this.resourceDecoder = new AvroDeserializer<>(registry, ResourceEvent.class);
    this.statusDecoder = new AvroDeserializer<>(registry, ComponentStatus.class);
    this.thread = new Thread(this::run, "kaskade-gateway-routing");
    this.thread.setDaemon(true);
  }

  /** Assigns both topics from the beginning and starts following them. */
  public void start() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.controlResources(), topics.controlStatus())) {
      partitions.addAll(Partitions.of(consumer, topic, Duration.ofSeconds(30)));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    startEnd = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    lastReachableMs.set(System.currentTimeMillis());
    thread.start();
  }

  /** True once every record that existed at start has been applied. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** True when the broker answered within the last few seconds. */
  public boolean kafkaReachable() {
    return System.currentTimeMillis() - lastReachableMs.get() < REACHABLE_WINDOW_MS;
  }

  /** Waits until caught up; false on timeout. */
  public boolean awaitCaughtUp(long timeout, TimeUnit unit) throws InterruptedException {
    long end = System.nanoTime() + unit.toNanos(timeout);
    while (!caughtUp && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    return caughtUp;
  }

  public long undecodableRecords() {
    return undecodable.get();
  }

  private void run() {
    long lastProbe = 0;
    while (running) {
      try {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          apply(record);
        }
        if (!caughtUp) {
          caughtUp = reachedStartEnd();
        }
        long now = System.currentTimeMillis();
        if (now - lastProbe > PROBE_INTERVAL_MS) {
          lastProbe = now;
          probe();
        }
      } catch (WakeupException e) {
        break;
      } catch (KafkaException e) {
        LOG.warn("routing table reader: {}", e.toString());
      }
    }
  }

  private boolean reachedStartEnd() {
    for (var e : startEnd.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void probe() {
    try {
      consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(1));
      lastReachableMs.set(System.currentTimeMillis());
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      LOG.debug("broker not reachable: {}", e.getMessage());
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    try {
      if (record.topic().equals(topics.controlResources())) {
        table.applyResource(
            record.key(), resourceDecoder.deserialize(record.topic(), record.value()));
      } else {
        table.applyStatus(record.key(), statusDecoder.deserialize(record.topic(), record.value()));
      }
    } catch (SerializationFailure e) {
      undecodable.incrementAndGet();
      LOG.warn("skipping {}", PoisonRecords.describe(record, e));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(2));
  }
}
