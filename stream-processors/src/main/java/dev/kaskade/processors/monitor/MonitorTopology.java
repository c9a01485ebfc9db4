package dev.kaskade.processors.monitor;

import dev.kaskade.processors.kafka.DeadLetters;
import dev.kaskade.processors.kafka.ModelTopic;
import dev.kaskade.processors.topology.ControlStore;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Drift and outlier monitoring over every {@code <ns>.<isvc>.requests} topic:
 *
 * <pre>
 * requests (pattern) ─► monitor ─┬─► monitor.drift     (DriftAlert per feature per window)
 *   control (global) ──┘         ├─► monitor.outliers  (OutlierScore per request)
 *                                └─► deadletter.stream-processors
 * </pre>
 *
 * State: {@code monitor-rows} (reference and window rows) and {@code monitor-meta} (counters and
 * window bounds), both changelogged; run with exactly-once.
 */
public final class MonitorTopology {
  public static final String CONTROL_STORE = "monitor-control";
  public static final String ROWS_STORE = "monitor-rows";
  public static final String META_STORE = "monitor-meta";
  static final String DRIFT_SINK = "monitor-drift-sink";
  static final String OUTLIER_SINK = "monitor-outlier-sink";
  static final String DEAD_LETTER_SINK = "monitor-dead-letter-sink";

  private MonitorTopology() {}

  public static Topology build(Topics topics, SchemaRegistryClient registry, MeterRegistry meters) {
    Topology topology = new Topology();
    DriftMetrics metrics = new DriftMetrics(meters);
    ControlStore.addTo(topology, CONTROL_STORE, topics.controlResources());
    topology.addSource(
        "monitor-requests-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        ModelTopic.pattern(topics, "requests"));
    topology.addProcessor(
        "monitor",
        () -> new MonitorProcessor(topics, registry, metrics),
        "monitor-requests-source");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ROWS_STORE), Serdes.String(), Serdes.String()),
        "monitor");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(META_STORE), Serdes.String(), Serdes.String()),
        "monitor");
    topology.addSink(
        DRIFT_SINK,
        topics.monitorDrift(),
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        "monitor");
    topology.addSink(
        OUTLIER_SINK,
        topics.monitorOutliers(),
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        "monitor");
    topology.addSink(
        DEAD_LETTER_SINK,
        topics.deadLetter(DeadLetters.COMPONENT),
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        "monitor");
    return topology;
  }
}
