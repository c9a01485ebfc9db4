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
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes control events: ensures the topics a resource needs, skips a value identical to the
 * current one (so re-applying is a no-op) and writes tombstones on delete. When a method returns,
 * the records are durable. {@link #publish} also waits for the topics' schemas; {@link
 * #publishAll}, for many resources at once, creates all their topics in one request, sends all
 * records before waiting for any, and leaves the schemas to {@code TopicProvisioner.awaitSchemas}.
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

  /** Creates the platform topics; their schemas may still be registering on return. */
  public void ensurePlatformTopics() {
    ctx.provisioner().ensureTopics(ctx.topicSpecs().platformTopics());
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
   * Publishes a plan once its topics exist with their schemas; returns false when the event equals
   * {@code snapshot}'s current value (then nothing is written).
   */
  public boolean publish(Plan plan, ControlSnapshot snapshot) {
    ctx.provisioner().ensure(topicsFor(plan.event()));
    return publishAll(List.of(plan), snapshot).get(0);
  }

  /**
   * Publishes plans in order, each compared with {@code snapshot} as the earlier ones left it;
   * returns per plan whether its event changed. Their topics exist before any event is written.
   */
  public List<Boolean> publishAll(List<Plan> plans, ControlSnapshot snapshot) {
    List<TopicSpec> topics = new ArrayList<>();
    plans.forEach(plan -> topics.addAll(topicsFor(plan.event())));
    ctx.provisioner().ensureTopics(topics);
    List<Boolean> changed = new ArrayList<>();
    List<Sent> sent = new ArrayList<>();
    for (Plan plan : plans) {
      changed.add(send(plan, snapshot, sent));
    }
    for (Sent record : sent) {
      record.await();
    }
    return changed;
  }

  private boolean send(Plan plan, ControlSnapshot snapshot, List<Sent> sent) {
    ResourceEvent event = plan.event();
    String key = ResourceKeys.resource(event.getKind(), event.getNamespace(), event.getName());
    boolean changed = !event.equals(snapshot.resources().get(key));
    if (changed) {
      String topic = ctx.topics().controlResources();
      sent.add(send(topic, key, events.serialize(topic, event)));
      LOG.info("published {} generation {}", key, event.getGeneration());
    }
    for (Plan.StatusRecord status : plan.statuses()) {
      statusRecord(status.key(), status.value(), snapshot.statuses().get(status.key()))
          .ifPresent(sent::add);
    }
    snapshot.put(event);
    return changed;
  }

  /** Writes a status record unless equal to the current one; null clears it (tombstone). */
  public void publishStatus(String key, ComponentStatus value, ComponentStatus current) {
    statusRecord(key, value, current).ifPresent(Sent::await);
  }

  private Optional<Sent> statusRecord(String key, ComponentStatus value, ComponentStatus current) {
    if (value == null && current == null) {
      return Optional.empty();
    }
    if (value != null && value.equals(current)) {
      return Optional.empty();
    }
    String topic = ctx.topics().controlStatus();
    return Optional.of(send(topic, key, value == null ? null : statuses.serialize(topic, value)));
  }

  /** Tombstones a resource and every status record of it. */
  public void delete(String kind, String namespace, String name, ControlSnapshot snapshot) {
    String key = ResourceKeys.resource(kind, namespace, name);
    List<Sent> sent = new ArrayList<>();
    sent.add(send(ctx.topics().controlResources(), key, null));
    snapshot.statuses().keySet().stream()
        .filter(k -> k.startsWith(key + "/"))
        .toList()
        .forEach(k -> sent.add(send(ctx.topics().controlStatus(), k, null)));
    sent.forEach(Sent::await);
    LOG.info("deleted {}", key);
  }

  private Sent send(String topic, String key, byte[] value) {
    return new Sent(topic, key, producer.send(new ProducerRecord<>(topic, key, value)));
  }

  /** A record handed to the producer; {@link #await} returns once it is durable. */
  private record Sent(String topic, String key, Future<RecordMetadata> ack) {
    void await() {
      try {
        ack.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot publish " + key + " to " + topic, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted publishing " + key, e);
      }
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
