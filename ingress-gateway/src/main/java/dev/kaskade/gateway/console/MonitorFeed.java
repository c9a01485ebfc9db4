package dev.kaskade.gateway.console;

import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.OutlierScore;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.Partitions;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.SerializationFailure;
import dev.kaskade.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the monitor topics (drift results and outlier scores) into a {@link MonitorStore} on its
 * own thread, without a consumer group (every gateway instance shows everything), starting at most
 * {@link #BACKLOG} records before each partition's end so a restart shows recent history without
 * reading a long topic.
 */
public final class MonitorFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorFeed.class);
  static final long BACKLOG = 2_000;

  private final MonitorStore store;
  private final Topics topics;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<DriftAlert> driftDecoder;
  private final AvroDeserializer<OutlierScore> scoreDecoder;
  private final Thread thread;
  private volatile boolean running = true;

  public MonitorFeed(
      MonitorStore store,
      Topics topics,
      KafkaConnection bootstrap,
      SchemaRegistryClient registry,
      int maxMessageBytes) {
    this.store = store;
    this.topics = topics;
    Map<String, Object> config = ClientConfigs.consumer(bootstrap, null, maxMessageBytes);
    config.put("client.id", "kaskade-gateway-monitor");
    this.consumer = new KafkaConsumer<>(config);
    this.driftDecoder = new AvroDeserializer<>(registry, DriftAlert.class);
    this.scoreDecoder = new AvroDeserializer<>(registry, OutlierScore.class);
    this.thread = new Thread(this::run, "kaskade-gateway-monitor");
    this.thread.setDaemon(true);
  }

  public void start() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.monitorDrift(), topics.monitorOutliers())) {
      partitions.addAll(Partitions.of(consumer, topic, Duration.ofSeconds(30)));
    }
    consumer.assign(partitions);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    for (TopicPartition p : partitions) {
      consumer.seek(p, Math.max(begin.getOrDefault(p, 0L), end.getOrDefault(p, 0L) - BACKLOG));
    }
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          apply(record);
        }
      } catch (WakeupException e) {
        break;
      } catch (KafkaException e) {
        LOG.warn("monitor feed: {}", e.toString());
      }
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      if (record.topic().equals(topics.monitorDrift())) {
        store.add(driftDecoder.deserialize(record.topic(), record.value()));
      } else {
        store.add(scoreDecoder.deserialize(record.topic(), record.value()));
      }
    } catch (SerializationFailure e) {
      LOG.debug("skipping an undecodable monitor record: {}", e.getMessage());
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
