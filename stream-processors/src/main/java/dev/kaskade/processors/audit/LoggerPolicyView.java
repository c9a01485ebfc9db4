package dev.kaskade.processors.audit;

import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory view of every InferenceService's logger policy, read from the control topic by a
 * group-less consumer on its own thread (the HTTP delivery needs the url, which the audit record
 * does not carry).
 */
final class LoggerPolicyView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoggerPolicyView.class);

  private final Map<String, LoggerPolicy> policies = new ConcurrentHashMap<>();

  /**
   * Per InferenceService with a logger url, the time (its control record's) since when it has had
   * one: the HTTP delivery starts reading the audit topic there ({@link #deliverySince}).
   */
  private final Map<String, Long> urlSince = new ConcurrentHashMap<>();

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<ResourceEvent> deserializer;
  private final String defaultMode;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  LoggerPolicyView(
      Map<String, Object> consumerConfig,
      String controlTopic,
      SchemaRegistryClient registry,
      String defaultMode) {
    this.consumer = new KafkaConsumer<>(consumerConfig);
    this.deserializer = new AvroDeserializer<>(registry, ResourceEvent.class);
    this.defaultMode = defaultMode;
    List<TopicPartition> partitions =
        consumer.partitionsFor(controlTopic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
      pollOnce();
    }
    this.thread = Thread.ofPlatform().daemon().name("payload-logger-policies").start(this::run);
  }

  LoggerPolicy policy(String namespace, String isvc) {
    return policies.get("InferenceService/" + namespace + "/" + isvc);
  }

  /**
   * The earliest time since when an InferenceService has had a logger url, or empty while none has
   * one (then no CloudEvent is due).
   */
  OptionalLong deliverySince() {
    return urlSince.values().stream().mapToLong(Long::longValue).min();
  }

  private void run() {
    try {
      while (running.get()) {
        pollOnce();
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void pollOnce() {
    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      if (record.key() == null || !record.key().startsWith("InferenceService/")) {
        continue;
      }
      if (record.value() == null) {
        policies.remove(record.key());
        urlSince.remove(record.key());
        continue;
      }
      try {
        LoggerPolicy policy =
            LoggerPolicy.of(deserializer.deserialize(record.topic(), record.value()), defaultMode);
        if (policy != null) {
          policies.put(record.key(), policy);
          if (policy.url() == null || policy.url().isBlank()) {
            urlSince.remove(record.key());
          } else {
            urlSince.putIfAbsent(record.key(), record.timestamp());
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("skipping control record {}: {}", record.key(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
