package dev.kaskade.processors.audit;

import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.SerializationFailure;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of logger policies in step with the control topic: one entry per
 * InferenceService, removed on its tombstone. Other kinds are ignored; an undecodable control
 * record is skipped with a warning (a global store cannot forward to a dead-letter topic).
 */
final class PolicyUpdater implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyUpdater.class);

  private final AvroDeserializer<ResourceEvent> deserializer;
  private final String defaultMode;
  private KeyValueStore<String, byte[]> store;

  PolicyUpdater(SchemaRegistryClient registry, String defaultMode) {
    this.deserializer = new AvroDeserializer<>(registry, ResourceEvent.class);
    this.defaultMode = defaultMode;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(PayloadLoggerTopology.POLICY_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null || !record.key().startsWith("InferenceService/")) {
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
      return;
    }
    try {
      ResourceEvent event = deserializer.deserialize(null, record.value());
      if (LoggerPolicy.of(event, defaultMode) != null) {
        // Raw bytes, not the derived policy: a global store is restored by copying the topic's
        // records without running this processor.
        store.put(record.key(), record.value());
      }
    } catch (SerializationFailure | IllegalArgumentException e) {
      LOG.warn("skipping control record {}: {}", record.key(), e.getMessage());
    }
  }
}
