package dev.kaskade.processors.monitor;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.processors.kafka.ModelTopic;
import dev.kaskade.processors.topology.ControlStore;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.runtime.BackgroundPriority;
import dev.kaskade.schemas.serde.PoisonRecords;
import dev.kaskade.schemas.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Keeps the inferences of models that have a monitor configured and re-keys them by {@code
 * namespace/model}, remembering the source in headers. Does not decode the payload. Skips what
 * crosses a revision hop without being a caller's inference of this InferenceService: shadow
 * copies, replays, synthetic requests (the explainer's perturbations) and requests for a
 * TrainedModel hosted by the revision ({@code kaskade-model} names another model).
 */
final class MonitorKeyer implements Processor<String, byte[], String, byte[]> {
  private final Topics topics;
  private final SchemaRegistryClient registry;

  /** Keyed by the spec's JSON string (the same instance while the resource is unchanged). */
  private final Map<String, Boolean> monitoredJson = new HashMap<>();

  private ProcessorContext<String, byte[]> context;
  private ControlStore control;

  MonitorKeyer(Topics topics, SchemaRegistryClient registry) {
    this.topics = topics;
    this.registry = registry;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    BackgroundPriority.lowerCurrentThread(); // the monitor's StreamThread: no caller waits on it
    this.context = context;
    this.control = ControlStore.open(context, MonitorTopology.CONTROL_STORE, registry);
  }

  private boolean isMonitored(String json) {
    if (monitoredJson.size() > 256) {
      monitoredJson.clear(); // specs changed many times: forget the old ones
    }
    return monitoredJson.computeIfAbsent(json, MonitorTopology::monitors);
  }

  /** False for the copies the class comment lists; the processor checks the payload's model too. */
  static boolean isInference(Headers headers, ModelTopic model) {
    String target = KaskadeHeaders.get(headers, KaskadeHeaders.MODEL);
    return KaskadeHeaders.get(headers, KaskadeHeaders.SHADOW) == null
        && KaskadeHeaders.get(headers, KaskadeHeaders.REPLAY_OF) == null
        && KaskadeHeaders.get(headers, KaskadeHeaders.SYNTHETIC) == null
        && (target == null || target.isBlank() || target.equals(model.name()));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    Optional<ModelTopic> model = ModelTopic.parsePredictor(topics, meta.topic());
    if (model.isEmpty() || record.value() == null || !isInference(record.headers(), model.get())) {
      return;
    }
    boolean monitored =
        control
            .inferenceService(model.get().namespace(), model.get().name())
            .map(InferenceServiceSpec::getMonitorJson)
            .map(this::isMonitored)
            .orElse(false);
    if (!monitored) {
      return;
    }
    Headers headers = new RecordHeaders(record.headers().toArray());
    KaskadeHeaders.put(headers, MonitorTopology.SOURCE_TOPIC, meta.topic());
    KaskadeHeaders.put(
        headers,
        MonitorTopology.SOURCE,
        PoisonRecords.source(meta.topic(), meta.partition(), meta.offset()));
    context.forward(
        record.withKey(model.get().namespace() + "/" + model.get().name()).withHeaders(headers));
  }
}
