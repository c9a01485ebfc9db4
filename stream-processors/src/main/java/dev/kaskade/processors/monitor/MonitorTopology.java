package dev.kaskade.processors.monitor;

import dev.kaskade.processors.topology.ControlStore;
import dev.kaskade.processors.topology.GuardedProcessor;
import dev.kaskade.processors.topology.RouteHeader;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Drift and outlier monitoring over every revision hop {@code <ns>.<isvc>.predictor.<revision>}:
 * the one stream every inference crosses exactly once, whatever its entry (the gateway's HTTP and
 * gRPC calls go there directly, Kafka requests through the dispatcher, transformed requests from
 * the transformer, graph steps either way), and that the payload logger reads too. The {@code
 * requests} topic is not read: the gateway skips it, and a request passing both would count twice.
 *
 * <pre>
 * predictor.* (pattern) ─► monitor-keyer ─► [repartition monitor-by-model] ─► monitor ─┬─► monitor.drift
 *   control (global store) ─┘ (only models with monitor_json sections)            ├─► monitor.outliers
 *                                                                                   └─► deadletter
 * </pre>
 *
 * Requests are keyed by request id across partitions, so they are re-keyed by {@code
 * namespace/model} and repartitioned: one task then owns all of a model's windows. State: {@code
 * monitor-row-chunks} (reference and window rows, 64 to a chunk, see {@link RowLog}) and {@code
 * monitor-meta} (counters and window bounds), both cached and changelogged; run with exactly-once.
 */
public final class MonitorTopology {
  public static final String CONTROL_STORE = "monitor-control";
  public static final String ROWS_STORE = "monitor-row-chunks";
  public static final String META_STORE = "monitor-meta";
  public static final String REPARTITION = "monitor-by-model";

  /** Header carrying the original revision topic across the repartition. */
  static final String SOURCE_TOPIC = "kaskade-source-topic";

  /** Header carrying topic-partition@offset of the original record. */
  static final String SOURCE = "kaskade-source";

  private MonitorTopology() {}

  /** Whether an InferenceService's {@code monitor_json} asks for drift or outlier detection. */
  public static boolean monitors(String monitorJson) {
    return monitorJson != null
        && (monitorJson.contains("\"drift\"") || monitorJson.contains("\"outlier\""));
  }

  public static Topology build(Topics topics, SchemaRegistryClient registry, MeterRegistry meters) {
    return build(topics, registry, meters, MonitorLimits.DEFAULTS);
  }

  public static Topology build(
      Topics topics, SchemaRegistryClient registry, MeterRegistry meters, MonitorLimits limits) {
    return build(topics, registry, meters, limits, TopicSettings.standalone().partitions());
  }

  /**
   * The monitor with a repartition topic of this many partitions. Sized explicitly: Kafka Streams
   * otherwise sizes it from the source topics, and while no predictor topic exists yet (a fresh
   * cluster, {@code kaskade processors} started before any InferenceService) every rebalance failed
   * with a TaskAssignmentException and the processors never started.
   */
  public static Topology build(
      Topics topics,
      SchemaRegistryClient registry,
      MeterRegistry meters,
      MonitorLimits limits,
      int partitions) {
    StreamsBuilder builder = new StreamsBuilder();
    DriftMetrics metrics = new DriftMetrics(meters);
    ControlStore.addTo(builder, CONTROL_STORE, topics.controlResources());
    // Cached: a chunk or a model's counters rewritten by every record reach the changelog once
    // per commit.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ROWS_STORE), Serdes.String(), Serdes.ByteArray())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(META_STORE), Serdes.String(), Serdes.String())
            .withCachingEnabled());
    builder.stream(
            topics.predictorPattern(),
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("monitor-predictor-source"))
        .process(
            GuardedProcessor.of(() -> new MonitorKeyer(topics, registry)),
            Named.as("monitor-keyer"))
        .repartition(
            Repartitioned.with(Serdes.String(), Serdes.ByteArray())
                .withName(REPARTITION)
                .withNumberOfPartitions(partitions))
        .process(
            GuardedProcessor.of(() -> new MonitorProcessor(topics, registry, metrics, limits)),
            Named.as("monitor"),
            ROWS_STORE,
            META_STORE)
        .to(
            RouteHeader.extractor(),
            Produced.with(Serdes.String(), RouteHeader.valueSerde()).withName("monitor-sink"));
    return builder.build();
  }
}
