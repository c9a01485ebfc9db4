package dev.kaskade.reconciler.publish;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.topic.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes control events: ensures the topics a resource needs, skips a value identical to the
 * current one (so re-applying is a no-op) and writes tombstones on delete. Sends are synchronous:
 * when a method returns, the records are durable.
 */
public final class ControlPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPublisher.class);

  private final KaskadeContext ctx;
  private final KafkaProducer<String, byte[]> producer;
  private final AvroSerializer<ResourceEvent> events;
  private final AvroSerializer<ComponentStatus> statuses;

  public ControlPublisher(KaskadeContext ctx) {
    this.ctx = ctx;
    this.producer =
        new KafkaProducer<>(
            ClientConfigs.producer(ctx.kafka(), ctx.topicSettings().maxMessageBytes()));
    this.events = new AvroSerializer<>(ctx.registry());
    this.statuses = new AvroSerializer<>(ctx.registry());
  }

  public void ensurePlatformTopics() {
    ctx.provisioner().ensure(ctx.topicSpecs().platformTopics());
  }

  /** The topics a resource needs before its event is published. */
  public List<TopicSpec> topicsFor(ResourceEvent event) {
    List<TopicSpec> specs = new ArrayList<>();
    if (event.getSpec() instanceof InferenceServiceSpec spec) {
      specs.addAll(
          ctx.topicSpecs()
              .inferenceServiceTopics(
                  event.getNamespace(), event.getName(), spec.getPredictor().getRevision()));
      if (spec.getPreviousPredictor() != null) {
        specs.addAll(
            ctx.topicSpecs()
                .inferenceServiceTopics(
                    event.getNamespace(),
                    event.getName(),
                    spec.getPreviousPredictor().getRevision()));
      }
    } else if (event.getSpec() instanceof InferenceGraphSpec) {
      specs.addAll(ctx.topicSpecs().graphTopics(event.getNamespace(), event.getName()));
    }
    return specs;
  }

  /**
   * Publishes a plan; returns false when the event equals {@code snapshot}'s current value (then
   * nothing is written).
   */
  public boolean publish(Plan plan, ControlSnapshot snapshot) {
    ResourceEvent event = plan.event();
    String key = ResourceKeys.resource(event.getKind(), event.getNamespace(), event.getName());
    ctx.provisioner().ensure(topicsFor(event));
    boolean changed = !event.equals(snapshot.resources().get(key));
    if (changed) {
      send(
          ctx.topics().controlResources(),
          key,
          events.serialize(ctx.topics().controlResources(), event));
      LOG.info("published {} generation {}", key, event.getGeneration());
    }
    for (Plan.StatusRecord status : plan.statuses()) {
      publishStatus(status.key(), status.value(), snapshot.statuses().get(status.key()));
    }
    snapshot.put(event);
    return changed;
  }

  /** Writes a status record unless equal to the current one; null clears it (tombstone). */
  public void publishStatus(String key, ComponentStatus value, ComponentStatus current) {
    if (value == null && current == null) {
      return;
    }
    if (value != null && value.equals(current)) {
      return;
    }
    String topic = ctx.topics().controlStatus();
    send(topic, key, value == null ? null : statuses.serialize(topic, value));
  }

  /** Tombstones a resource and every status record of it. */
  public void delete(String kind, String namespace, String name, ControlSnapshot snapshot) {
    String key = ResourceKeys.resource(kind, namespace, name);
    send(ctx.topics().controlResources(), key, null);
    snapshot.statuses().keySet().stream()
        .filter(k -> k.startsWith(key + "/"))
        .toList()
        .forEach(k -> send(ctx.topics().controlStatus(), k, null));
    LOG.info("deleted {}", key);
  }

  private void send(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot publish " + key + " to " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing " + key, e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
