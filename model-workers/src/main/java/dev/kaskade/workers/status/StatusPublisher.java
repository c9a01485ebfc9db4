package dev.kaskade.workers.status;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ModelState;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.kafka.StatusComponents;
import dev.kaskade.schemas.route.ScaleToZeroRules;
import dev.kaskade.schemas.route.TrainedModelRules;
import dev.kaskade.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this worker instance's readiness per model revision to the compacted status topic, keyed
 * {@code kind/namespace/name/predictor/revision/instance}.
 */
public final class StatusPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
  public static final String COMPONENT = StatusComponents.PREDICTOR;

  /** Reason of an Unloaded status whose model loads again on demand. */
  public static final String EVICTED = TrainedModelRules.EVICTED;

  /** Reason of {@link #notReady}: the runtime bridge's model server is down. */
  public static final String NOT_READY = "ModelServerNotReady";

  private final Producer<byte[], byte[]> producer;
  private final AvroSerializer<ComponentStatus> serializer;
  private final String topic;
  private final String instance;

  public StatusPublisher(
      Producer<byte[], byte[]> producer,
      AvroSerializer<ComponentStatus> serializer,
      String topic,
      String instance) {
    this.producer = producer;
    this.serializer = serializer;
    this.topic = topic;
    this.instance = instance;
  }

  /** What a status record says about one model. */
  public record Subject(String kind, String namespace, String name, String revision) {}

  public void loading(Subject subject) {
    publish(subject, ModelState.Loading, null, null, null);
  }

  public void ready(Subject subject, String metadataJson) {
    publish(subject, ModelState.Ready, "Loaded", null, metadataJson);
  }

  public void failed(Subject subject, String message) {
    publish(subject, ModelState.FailedToLoad, "ModelLoadFailed", message, null);
  }

  /**
   * A TrainedModel dropped by the LRU memory budget: still served, loaded again by its next request
   * (reason {@value #EVICTED}; the gateway keeps routing to it).
   */
  public void evicted(Subject subject) {
    publish(
        subject,
        ModelState.Unloaded,
        EVICTED,
        "evicted by the worker's memory budget (least recently used); loads again on the next"
            + " request",
        null);
  }

  /** A loaded model whose remote model server stopped answering its health check. */
  public void notReady(Subject subject, String message) {
    publish(subject, ModelState.FailedToLoad, NOT_READY, message, null);
  }

  /**
   * A {@code minReplicas: 0} revision stopped for idleness or with its process: still served (the
   * gateway keeps routing; waiting requests wake a worker), with the metadata it had when loaded.
   */
  public void scaledToZero(Subject subject, String metadataJson) {
    publish(
        subject,
        ModelState.Unloaded,
        ScaleToZeroRules.SCALED_TO_ZERO,
        "scaled to zero: requests wake a worker",
        metadataJson);
  }

  public void unloaded(Subject subject, String why) {
    publish(subject, ModelState.Unloaded, why, null, null);
  }

  /** A node's copy of a LocalModelCache (component {@code cache}, revision = the node). */
  public void cache(
      Subject subject, ModelState state, String reason, String message, String metadataJson) {
    publish(subject, StatusComponents.CACHE, state, reason, message, metadataJson);
  }

  private void publish(
      Subject subject, ModelState state, String reason, String message, String metadataJson) {
    publish(subject, COMPONENT, state, reason, message, metadataJson);
  }

  private void publish(
      Subject subject,
      String component,
      ModelState state,
      String reason,
      String message,
      String metadataJson) {
    ComponentStatus status =
        ComponentStatus.newBuilder()
            .setKind(subject.kind())
            .setNamespace(subject.namespace())
            .setName(subject.name())
            .setComponent(component)
            .setRevision(subject.revision())
            .setState(state)
            .setReason(reason)
            .setMessage(message)
            .setInstance(instance)
            .setModelMetadataJson(metadataJson)
            .setTimestampMs(System.currentTimeMillis())
            .build();
    String key =
        ResourceKeys.status(
            subject.kind(),
            subject.namespace(),
            subject.name(),
            component,
            subject.revision(),
            instance);
    producer.send(
        new ProducerRecord<>(
            topic, key.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, status)),
        (meta, error) -> {
          if (error != null) {
            LOG.warn("cannot publish status {} for {}: {}", state, key, error.toString());
          }
        });
  }
}
