package dev.kaskade.gateway.testing;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.topic.Topics;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes control and status records the way the reconciler and workers do. */
public final class ControlPublisher implements AutoCloseable {
  private final Topics topics;
  private final KafkaProducer<String, byte[]> producer;
  private final AvroSerializer<ResourceEvent> resources;
  private final AvroSerializer<ComponentStatus> statuses;
  private final AvroSerializer<org.apache.avro.specific.SpecificRecord> events;

  public ControlPublisher(String bootstrap, SchemaRegistryClient registry, Topics topics) {
    this.topics = topics;
    this.producer = new KafkaProducer<>(ClientConfigs.producer(bootstrap, 1 << 20));
    this.resources = new AvroSerializer<>(registry);
    this.statuses = new AvroSerializer<>(registry);
    this.events = new AvroSerializer<>(registry);
  }

  /** Any Avro event to any topic (monitor results, for instance). */
  public void event(String topic, String key, org.apache.avro.specific.SpecificRecord value) {
    send(topic, key, events.serialize(topic, value));
  }

  public void resource(ResourceEvent event) {
    String key = ResourceKeys.resource(event.getKind(), event.getNamespace(), event.getName());
    send(topics.controlResources(), key, resources.serialize(topics.controlResources(), event));
  }

  public void delete(String kind, String ns, String name) {
    send(topics.controlResources(), ResourceKeys.resource(kind, ns, name), null);
  }

  public void status(ComponentStatus s) {
    String key =
        ResourceKeys.status(
            s.getKind(),
            s.getNamespace(),
            s.getName(),
            s.getComponent(),
            s.getRevision(),
            s.getInstance());
    send(topics.controlStatus(), key, statuses.serialize(topics.controlStatus(), s));
  }

  private void send(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
