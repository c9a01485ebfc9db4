package dev.kaskade.processors.topology;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The control topic as a global store of raw ResourceEvent bytes (key kind/namespace/name), so
 * every task of a topology sees every resource. Bytes are kept as they are and decoded on read: an
 * undecodable control record then only affects the model it describes.
 */
public final class ControlStore {
  private final KeyValueStore<String, byte[]> store;
  private final AvroDeserializer<ResourceEvent> deserializer;
  private final Map<String, Decoded> cache = new ConcurrentHashMap<>();

  private record Decoded(byte[] bytes, ResourceEvent event) {}

  private ControlStore(KeyValueStore<String, byte[]> store, SchemaRegistryClient registry) {
    this.store = store;
    this.deserializer = new AvroDeserializer<>(registry, ResourceEvent.class);
  }

  /** Adds the global store fed by the control topic; names derive from {@code storeName}. */
  public static void addTo(Topology topology, String storeName, String controlTopic) {
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(storeName), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        storeName + "-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        controlTopic,
        storeName + "-updater",
        () -> new Updater(storeName));
  }

  /** The same global store for a DSL topology. */
  public static void addTo(StreamsBuilder builder, String storeName, String controlTopic) {
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(storeName), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        controlTopic,
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(storeName + "-source"),
        () -> new Updater(storeName));
  }

  /** The view a processor uses, from its context. */
  public static ControlStore open(
      ProcessorContext<?, ?> context, String storeName, SchemaRegistryClient registry) {
    return new ControlStore(context.getStateStore(storeName), registry);
  }

  /** The InferenceService spec, if the resource is known and decodable. */
  public Optional<InferenceServiceSpec> inferenceService(String namespace, String name) {
    return resource("InferenceService", namespace, name)
        .map(ResourceEvent::getSpec)
        .filter(InferenceServiceSpec.class::isInstance)
        .map(InferenceServiceSpec.class::cast);
  }

  public Optional<ResourceEvent> resource(String kind, String namespace, String name) {
    String key = ResourceKeys.resource(kind, namespace, name);
    byte[] bytes = store.get(key);
    if (bytes == null) {
      cache.remove(key);
      return Optional.empty();
    }
    Decoded hit = cache.get(key);
    if (hit != null && Arrays.equals(hit.bytes(), bytes)) {
      return Optional.of(hit.event());
    }
    try {
      ResourceEvent event = deserializer.deserialize("control", bytes);
      cache.put(key, new Decoded(bytes, event));
      return Optional.of(event);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static final class Updater implements Processor<String, byte[], Void, Void> {
    private final String storeName;
    private KeyValueStore<String, byte[]> store;

    Updater(String storeName) {
      this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      if (record.key() == null) {
        return;
      }
      if (record.value() == null) {
        store.delete(record.key());
      } else {
        store.put(record.key(), record.value());
      }
    }
  }
}
