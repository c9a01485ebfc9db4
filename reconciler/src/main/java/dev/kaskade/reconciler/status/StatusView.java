package dev.kaskade.reconciler.status;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.SerializationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live view of the control and status topics: follows both from the beginning and answers the
 * KServe status of any InferenceService. {@code onStatusChange} hears every status record (the
 * cluster reconciler uses it to write {@code .status}).
 */
public final class StatusView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusView.class);

  private final KaskadeContext ctx;
  private final String domain;
  private final Map<String, ResourceEvent> resources = new ConcurrentHashMap<>();
  private final Map<String, ComponentStatus> statuses = new ConcurrentHashMap<>();
  private final Consumer<ComponentStatus> onStatusChange;
  private volatile boolean running = true;
  private KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public StatusView(KaskadeContext ctx, String domain, Consumer<ComponentStatus> onStatusChange) {
    this.ctx = ctx;
    this.domain = domain;
    this.onStatusChange = onStatusChange;
  }

  public void start() {
    consumer =
        new KafkaConsumer<>(
            ClientConfigs.consumer(ctx.kafka(), null, ctx.topicSettings().maxMessageBytes()));
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(ctx.topics().controlResources(), ctx.topics().controlStatus())) {
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::run, "kaskade-status-view");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    AvroDeserializer<ResourceEvent> events =
        new AvroDeserializer<>(ctx.registry(), ResourceEvent.class);
    AvroDeserializer<ComponentStatus> states =
        new AvroDeserializer<>(ctx.registry(), ComponentStatus.class);
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            if (record.topic().equals(ctx.topics().controlResources())) {
              update(resources, record.key(), events.deserialize(record.topic(), record.value()));
            } else {
              ComponentStatus status = states.deserialize(record.topic(), record.value());
              update(statuses, record.key(), status);
              if (status != null && onStatusChange != null) {
                onStatusChange.accept(status);
              }
            }
          } catch (SerializationFailure e) {
            LOG.warn(
                "skipping undecodable record at offset {}: {}", record.offset(), e.getMessage());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  private static <T> void update(Map<String, T> map, String key, T value) {
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  /** A copy of everything seen so far, for planning and idempotent publishing. */
  public dev.kaskade.reconciler.publish.ControlSnapshot snapshot() {
    return new dev.kaskade.reconciler.publish.ControlSnapshot(
        Map.copyOf(resources), Map.copyOf(statuses));
  }

  /** The control event of a resource, if known. */
  public Optional<ResourceEvent> resource(String kind, String namespace, String name) {
    return Optional.ofNullable(resources.get(ResourceKeys.resource(kind, namespace, name)));
  }

  /** Every status record of a resource. */
  public List<ComponentStatus> statusesOf(String kind, String namespace, String name) {
    String prefix = ResourceKeys.resource(kind, namespace, name) + "/";
    return statuses.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** The KServe status of an InferenceService, if its control event is known. */
  public Optional<InferenceServiceStatus> inferenceService(String namespace, String name) {
    return resource("InferenceService", namespace, name)
        .filter(e -> e.getSpec() instanceof InferenceServiceSpec)
        .map(
            e ->
                StatusAggregator.inferenceService(
                    e, statusesOf("InferenceService", namespace, name), domain));
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
