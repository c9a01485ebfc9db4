package dev.kaskade.processors.audit;

import dev.kaskade.processors.topology.GuardedProcessor;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.schemas.topic.Topics;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The payload logger: joins every InferenceService's requests and responses by id into a {@code
 * PayloadAuditRecord} on {@link Topics#auditPayloads()}.
 *
 * <p>Sources: a pattern subscription on {@code <prefix>.<ns>.<isvc>.requests|responses} and the
 * revision hops {@code <prefix>.<ns>.<isvc>.predictor.<revision>} (the gateway produces there
 * directly; an async request seen on both is recorded once, the first copy wins), excluding graph
 * and explain topics, so a new InferenceService is picked up on the next metadata refresh without
 * restarting; and the control topic as a global store of logger policies (mode, url, redaction).
 * Both topics are keyed by request id, so a request and its response land in the same task
 * (co-partitioned by key when partition counts agree, which {@code TopicSpecs} guarantees). A copy
 * placed on another partition (a multi-model revision places requests by model) is re-keyed through
 * {@link Topics#auditByRequestId()} first ({@link RequestIdPlacement}).
 */
public final class PayloadLoggerTopology {
  public static final String COMPONENT = "payload-logger";
  public static final String SOURCE = "payload-logger-source";
  public static final String PLACEMENT = "payload-logger-placement";
  public static final String BY_REQUEST_ID_SINK = "payload-logger-by-request-id-sink";
  public static final String BY_REQUEST_ID_SOURCE = "payload-logger-by-request-id-source";
  public static final String PAIRING = "payload-logger-pairing";
  public static final String PENDING_STORE = "payload-logger-pending";
  public static final String EXPIRY_STORE = "payload-logger-expiry";
  public static final String POLICY_STORE = "payload-logger-policies";
  public static final String POLICY_SOURCE = "payload-logger-policy-source";
  public static final String POLICY_UPDATER = "payload-logger-policy-updater";
  public static final String AUDIT_SINK = "payload-logger-audit-sink";
  public static final String DEAD_LETTER_SINK = "payload-logger-dead-letter-sink";

  static {
    AvroTrust.install();
  }

  private PayloadLoggerTopology() {}

  /** The subscription pattern of a prefix's per-isvc requests and responses topics. */
  public static Pattern isvcTopics(Topics topics) {
    return Pattern.compile(
        Pattern.quote(topics.prefix())
            + "\\.[^.]+\\.[^.]+\\.(requests|responses|predictor\\.[^.]+)");
  }

  /**
   * The topology; {@code partitions} is the partition count of the per-InferenceService topics and
   * of {@code auditByRequestId} ({@code TopicSettings#partitions()}, the same for all of them).
   */
  public static Topology build(
      Topics topics, SchemaRegistryClient registry, PayloadLoggerOptions options, int partitions) {
    Topology topology = new Topology();
    topology.addSource(
        SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), isvcTopics(topics));
    topology.addProcessor(
        PLACEMENT, GuardedProcessor.of(() -> new RequestIdPlacement(partitions)), SOURCE);
    topology.addSink(
        BY_REQUEST_ID_SINK,
        topics.auditByRequestId(),
        new StringSerializer(),
        new ByteArraySerializer(),
        PLACEMENT);
    topology.addSource(
        BY_REQUEST_ID_SOURCE,
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        topics.auditByRequestId());
    topology.addProcessor(
        PAIRING,
        GuardedProcessor.of(
            () ->
                new PairingProcessor(
                    registry, options, topics.auditPayloads(), topics.auditByRequestId())),
        PLACEMENT,
        BY_REQUEST_ID_SOURCE);
    // Not cached, although a call's request half and the done marker that replaces it usually fall
    // in one commit interval, and Streams' record cache would write only the marker (change 6):
    // the cache's LRU list leaves an evicted node linked to its neighbours, so once one is in the
    // old generation it keeps younger ones alive through every young collection, and every entry
    // was promoted, 2-3 MB/s at 1,000 calls/s, towards full collections (docs/performance.md,
    // change 15). Each call now writes its request and then its marker to the changelog.
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE), Serdes.String(), Serdes.ByteArray())
            .withCachingDisabled(),
        PAIRING);
    // The time index is derived from the pending store and rebuilt from it whenever a task starts
    // (PairingProcessor#init): without a changelog, it costs no changelog record per put and
    // delete (four per pair). In RocksDB, not on the heap: each entry lives for the whole window,
    // and a minute of calls' entries on the heap was promoted into the old generation, filling it
    // towards full collections under load (docs/performance.md, change 10).
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EXPIRY_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        PAIRING);
    topology.addSink(
        AUDIT_SINK,
        topics.auditPayloads(),
        new StringSerializer(),
        new ByteArraySerializer(),
        PAIRING);
    topology.addSink(
        DEAD_LETTER_SINK,
        topics.deadLetter(COMPONENT),
        new StringSerializer(),
        new ByteArraySerializer(),
        PAIRING);
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(POLICY_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        POLICY_SOURCE,
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        topics.controlResources(),
        POLICY_UPDATER,
        () -> new PolicyUpdater(registry, options.defaultMode()));
    return topology;
  }
}
