package dev.kaskade.processors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.Partitions;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import java.io.IOException;
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
 * consumer from the beginning (every instance needs every resource), and the input names of ready
 * predictors from the status topic, so that a V1 body sent to a model becomes a tensor named as
 * that model expects, and which predictor revisions are ready ({@link ReadyRevisions}), so that a
 * request can skip the dispatcher's hop. For the plain-consumer components; Streams topologies use
 * a global store.
 */
public final class ControlCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlCache.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, ResourceEvent> resources = new ConcurrentHashMap<>();
  private final Map<String, String> inputNames = new ConcurrentHashMap<>();
  private final ReadyRevisions readyRevisions = new ReadyRevisions();
  private final AvroDeserializer<ComponentStatus> statuses;
  private final String controlTopic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<ResourceEvent> deserializer;
  private final Thread poller;
  private volatile boolean running = true;

  public ControlCache(
      KafkaConnection bootstrap,
      SchemaRegistryClient registry,
      String controlTopic,
      String statusTopic,
      int maxMessageBytes) {
    this.consumer = new KafkaConsumer<>(ClientConfigs.consumer(bootstrap, null, maxMessageBytes));
    this.deserializer = new AvroDeserializer<>(registry, ResourceEvent.class);
    this.statuses = new AvroDeserializer<>(registry, ComponentStatus.class);
    this.controlTopic = controlTopic;
    List<TopicPartition> partitions = new java.util.ArrayList<>();
    for (String topic : List.of(controlTopic, statusTopic)) {
      partitions.addAll(Partitions.of(consumer, topic, Duration.ofSeconds(30)));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.poller = Thread.ofPlatform().daemon().name("control-cache").start(this::poll);
  }

  /** The first input name a ready predictor of the model reported, if any. */
  public Optional<String> inputName(String namespace, String model) {
    return Optional.ofNullable(inputNames.get(namespace + "/" + model));
  }

  /**
   * The predictor revision of an InferenceService that a request may be produced to directly, as
   * the gateway does ({@link ReadyRevisions#direct}); empty when the request must go to the
   * requests topic (unknown service, transformer, nothing ready yet, multi-model).
   */
  public Optional<String> directRevision(String namespace, String isvc, String requestId) {
    return get("InferenceService", namespace, isvc)
        .map(ResourceEvent::getSpec)
        .filter(InferenceServiceSpec.class::isInstance)
        .flatMap(
            spec -> readyRevisions.direct(namespace, isvc, (InferenceServiceSpec) spec, requestId));
  }

  /** Every known resource (a copy). */
  public List<ResourceEvent> all() {
    return List.copyOf(resources.values());
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
    if (!record.topic().equals(controlTopic)) {
      applyStatus(record);
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

  private void applyStatus(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      readyRevisions.apply(record.key(), null);
      return;
    }
    try {
      ComponentStatus status = statuses.deserialize(record.topic(), record.value());
      readyRevisions.apply(record.key(), status);
      if (status.getState() != ModelState.Ready || status.getModelMetadataJson() == null) {
        return;
      }
      JsonNode input = JSON.readTree(status.getModelMetadataJson()).path("inputs").path(0);
      if (input.hasNonNull("name")) {
        inputNames.put(status.getNamespace() + "/" + status.getName(), input.get("name").asText());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("skipping undecodable status record {}: {}", record.key(), e.getMessage());
    }
  }
}
