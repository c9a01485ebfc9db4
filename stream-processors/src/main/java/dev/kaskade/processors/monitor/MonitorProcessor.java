package dev.kaskade.processors.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.OutlierScore;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.kafka.DeadLetters;
import dev.kaskade.processors.kafka.ModelTopic;
import dev.kaskade.processors.monitor.DriftDetector.FeatureTest;
import dev.kaskade.processors.topology.ControlStore;
import dev.kaskade.processors.transform.TransformerHeaders;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.monitor.OutlierConfig;
import dev.kaskade.schemas.monitor.OutlierDetector;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.runtime.BackgroundPriority;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.serde.SerializationFailure;
import dev.kaskade.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds reference samples, closes drift windows and scores outliers, per model, from the rows
 * {@link MonitorLimits} admits.
 */
final class MonitorProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorProcessor.class);
  private static final MonitorConfig DISABLED = new MonitorConfig(List.of(), null, null);
  private final Topics topics;
  private final SchemaRegistryClient registry;
  private final DriftMetrics metrics;
  private final MonitorLimits limits;
  private final AvroDeserializer<InferenceRequest> requests;
  private final AvroSerializer<DriftAlert> alerts;
  private final AvroSerializer<OutlierScore> scores;
  private final Map<String, MonitorConfig> configs = new HashMap<>();
  private final Map<String, OutlierDetector> detectors = new HashMap<>();
  private ProcessorContext<String, byte[]> context;
  private ControlStore control;
  private KeyValueStore<String, byte[]> rows;
  private KeyValueStore<String, String> meta;
  private Map<String, ObjectNode> metaCache;
  private Map<String, RowLog> rowLogs;

  MonitorProcessor(
      Topics topics, SchemaRegistryClient registry, DriftMetrics metrics, MonitorLimits limits) {
    this.topics = topics;
    this.registry = registry;
    this.metrics = metrics;
    this.limits = limits;
    this.requests = new AvroDeserializer<>(registry, InferenceRequest.class);
    this.alerts = new AvroSerializer<>(registry);
    this.scores = new AvroSerializer<>(registry);
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    BackgroundPriority.lowerCurrentThread(); // the monitor's StreamThread: no caller waits on it
    this.context = context;
    this.control = ControlStore.open(context, MonitorTopology.CONTROL_STORE, registry);
    this.rows = context.getStateStore(MonitorTopology.ROWS_STORE);
    this.meta = context.getStateStore(MonitorTopology.META_STORE);
    // In-memory views of this task's stores, rebuilt from them whenever the processor is
    // (re)initialised: after a restart, a rebalance or an aborted transaction.
    this.metaCache = new HashMap<>();
    this.rowLogs = new HashMap<>();
    context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::closeDueWindows);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = KaskadeHeaders.get(record.headers(), MonitorTopology.SOURCE_TOPIC);
    Optional<ModelTopic> model = ModelTopic.parsePredictor(topics, topic);
    if (model.isEmpty() || record.value() == null) {
      return;
    }
    Optional<MonitorConfig> config = config(model.get());
    if (config.isEmpty() || (config.get().drift() == null && config.get().outlier() == null)) {
      return;
    }
    InferenceRequest request;
    List<List<JsonNode>> instances;
    try {
      request = requests.deserialize(topic, record.value());
      if (!isInference(request, model.get())) {
        return;
      }
      instances = MonitorRows.of(request, config.get().featureNames());
    } catch (RuntimeException e) {
      deadLetter(record, e);
      return;
    }
    String key = model.get().namespace() + "/" + model.get().name();
    instances = admit(model.get(), key, config.get(), instances);
    if (instances.isEmpty()) {
      return;
    }
    if (config.get().drift() != null) {
      drift(model.get(), key, config.get(), instances, record.timestamp());
    }
    if (config.get().outlier() != null) {
      outliers(model.get(), key, config.get().outlier(), request, instances, record.timestamp());
    }
  }

  /** Not a replay, and for the InferenceService's own model (not a TrainedModel it hosts). */
  private static boolean isInference(InferenceRequest request, ModelTopic model) {
    String target = request.getModel();
    return request.getReplayOf() == null
        && (target == null || target.isBlank() || target.equals(model.name()));
  }

  /** The rows within the limits; the model's width is learnt from its first row if not set. */
  private List<List<JsonNode>> admit(
      ModelTopic model, String key, MonitorConfig config, List<List<JsonNode>> rows) {
    ObjectNode state = meta(key);
    int fixed = config.width() > 0 ? config.width() : state.path("width").asInt(0);
    MonitorLimits.Admitted admitted = limits.admit(rows, fixed);
    if (fixed == 0 && admitted.width() > 0) {
      state.put("width", admitted.width());
      putMeta(key, state);
    }
    metrics.admitted(model.namespace(), model.name(), admitted);
    return admitted.rows();
  }

  private Optional<MonitorConfig> config(ModelTopic model) {
    return control
        .inferenceService(model.namespace(), model.name())
        .map(InferenceServiceSpec::getMonitorJson)
        .map(json -> configs.computeIfAbsent(json, j -> parse(model, j)));
  }

  /** A bad monitor_json disables monitoring of that model (logged once per distinct JSON). */
  private static MonitorConfig parse(ModelTopic model, String json) {
    try {
      return MonitorConfig.parse(json);
    } catch (RuntimeException e) {
      LOG.warn("monitoring of {}/{} disabled: {}", model.namespace(), model.name(), e.getMessage());
      return DISABLED;
    }
  }

  private void drift(
      ModelTopic model, String key, MonitorConfig config, List<List<JsonNode>> instances, long ts) {
    MonitorConfig.Drift drift = config.drift();
    ObjectNode state = meta(key);
    if (drift.reference() == null) {
      RowLog reference = rowLog(key + "|dr|");
      if (reference.size() < drift.referenceSize()) {
        append(reference, instances, drift.referenceSize());
        state.put("drift_ref", reference.size());
        putMeta(key, state);
        return;
      }
    }
    RowLog window = rowLog(key + "|dw|");
    if (drift.windowMs() > 0
        && window.size() > 0
        && ts - state.path("win_start").asLong() >= drift.windowMs()) {
      closeWindow(model, key, config, state);
    }
    if (window.size() == 0) {
      state.put("win_start", ts);
    }
    state.put("win_end", Math.max(ts, state.path("win_end").asLong()));
    append(window, instances, Integer.MAX_VALUE);
    state.put("win", window.size());
    if (window.size() >= drift.window()) {
      closeWindow(model, key, config, state);
    }
    state.put("model", model.namespace() + "/" + model.name());
    putMeta(key, state);
  }

  private static void append(RowLog log, List<List<JsonNode>> instances, int max) {
    for (List<JsonNode> row : instances) {
      if (log.size() >= max) {
        break;
      }
      log.append(row);
    }
  }

  private RowLog rowLog(String prefix) {
    return rowLogs.computeIfAbsent(prefix, p -> RowLog.load(rows, p));
  }

  private void closeWindow(ModelTopic model, String key, MonitorConfig config, ObjectNode state) {
    MonitorConfig.Drift drift = config.drift();
    RowLog window = rowLog(key + "|dw|");
    List<List<JsonNode>> reference =
        drift.reference() != null ? drift.reference() : rowLog(key + "|dr|").rows();
    if (window.size() > 0 && !reference.isEmpty()) {
      List<FeatureTest> results =
          DriftDetector.test(reference, window.rows(), drift.alpha(), drift.categorical());
      boolean any = false;
      for (FeatureTest t : results) {
        any |= t.drift();
        emitAlert(model, config, t, state, window.size());
      }
      metrics.detected(model.namespace(), model.name(), any);
    }
    window.clear();
    state.put("win", 0);
    state.put("win_start", 0);
    state.put("win_end", 0);
  }

  private void emitAlert(
      ModelTopic model, MonitorConfig config, FeatureTest t, ObjectNode state, int size) {
    String feature = config.featureName(t.feature());
    DriftAlert alert =
        DriftAlert.newBuilder()
            .setNamespace(model.namespace())
            .setModel(model.name())
            .setFeature(feature)
            .setTest(t.test())
            .setStatistic(t.statistic())
            .setPValue(t.pValue())
            .setThreshold(t.threshold())
            .setDrift(t.drift())
            .setWindowStart(state.path("win_start").asLong())
            .setWindowEnd(state.path("win_end").asLong())
            .setSampleSize(size)
            .build();
    metrics.record(model.namespace(), model.name(), feature, t.pValue(), t.statistic());
    if (t.drift()) {
      metrics.alert(model.namespace(), model.name(), feature);
    }
    String topic = topics.monitorDrift();
    forward(model.namespace() + "/" + model.name(), alerts.serialize(topic, alert), topic, null);
  }

  private void closeDueWindows(long now) {
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it = meta.all()) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<String, String> kv : due) {
      ObjectNode state = meta(kv.key);
      String[] parts = state.path("model").asText("").split("/");
      if (parts.length != 2 || state.path("win").asInt() == 0) {
        continue;
      }
      ModelTopic model = new ModelTopic(parts[0], parts[1]);
      Optional<MonitorConfig> config = config(model);
      if (config.isPresent()
          && config.get().drift() != null
          && config.get().drift().windowMs() > 0
          && now - state.path("win_start").asLong() >= config.get().drift().windowMs()) {
        closeWindow(model, kv.key, config.get(), state);
        putMeta(kv.key, state);
      }
    }
  }

  private void outliers(
      ModelTopic model,
      String key,
      OutlierConfig config,
      InferenceRequest request,
      List<List<JsonNode>> instances,
      long ts) {
    double[][] numeric = MonitorRows.numeric(instances);
    if (numeric == null) {
      return;
    }
    OutlierDetector detector = detector(key, config, numeric);
    if (detector == null || detector.features() != numeric[0].length) {
      return;
    }
    List<Double> values = new ArrayList<>();
    List<Boolean> flags = new ArrayList<>();
    for (double[] row : numeric) {
      double score = detector.score(row);
      values.add(score);
      flags.add(detector.isOutlier(score));
      metrics.scored(model.namespace(), model.name(), detector.isOutlier(score));
    }
    OutlierScore score =
        OutlierScore.newBuilder()
            .setId(request.getId())
            .setNamespace(model.namespace())
            .setModel(model.name())
            .setScores(values)
            .setThreshold(detector.threshold())
            .setOutlier(flags)
            .setTimestampMs(ts)
            .build();
    forward(
        request.getId(),
        scores.serialize(topics.monitorOutliers(), score),
        topics.monitorOutliers(),
        null);
  }

  private OutlierDetector detector(String key, OutlierConfig config, double[][] numeric) {
    OutlierDetector cached = detectors.get(key);
    if (cached != null) {
      return cached;
    }
    double[][] reference = config.reference();
    if (reference == null) {
      RowLog learned = rowLog(key + "|or|");
      if (learned.size() < config.referenceSize()) {
        append(learned, MonitorRows.json(numeric), config.referenceSize());
        if (learned.size() < config.referenceSize()) {
          return null;
        }
      }
      reference = MonitorRows.numeric(learned.rows());
    }
    if (reference == null || reference.length < 2) {
      return null;
    }
    OutlierDetector detector = OutlierDetector.fit(reference, config.p());
    detectors.put(key, detector);
    return detector;
  }

  private ObjectNode meta(String key) {
    return metaCache.computeIfAbsent(
        key,
        k -> {
          String json = meta.get(k);
          return json == null ? Json.object() : (ObjectNode) Json.parse(json, "monitor state");
        });
  }

  private void putMeta(String key, ObjectNode state) {
    metaCache.put(key, state);
    meta.put(key, Json.write(state));
  }

  private void deadLetter(Record<String, byte[]> record, RuntimeException e) {
    Reason reason =
        e instanceof SerializationFailure ? Reason.DESERIALIZATION_FAILED : Reason.INVALID_ARGUMENT;
    Headers headers =
        DeadLetters.headers(
            record.headers(),
            reason,
            e.getMessage(),
            KaskadeHeaders.get(record.headers(), MonitorTopology.SOURCE));
    headers.remove(MonitorTopology.SOURCE_TOPIC);
    headers.remove(MonitorTopology.SOURCE);
    String id = KaskadeHeaders.get(record.headers(), KaskadeHeaders.REQUEST_ID);
    forward(id, record.value(), topics.deadLetter(DeadLetters.COMPONENT), headers);
  }

  private void forward(String key, byte[] value, String topic, Headers headers) {
    Headers out = headers == null ? new RecordHeaders() : headers;
    KaskadeHeaders.put(out, TransformerHeaders.ROUTE, topic);
    context.forward(new Record<>(key, value, context.currentSystemTimeMs(), out));
  }
}
