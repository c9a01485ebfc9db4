package dev.kaskade.processors.topology;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Streams settings shared by the topologies. Error policy is explicit: records are consumed as
 * bytes and decoded inside the processors (which dead-letter what they cannot decode with the
 * reason in headers); anything that still escapes (an exception, or an Error turned into one by
 * {@link GuardedProcessor}, a record the broker refuses) is logged, sent to the dead-letter topic
 * by {@link DeadLetterHandlers} with Kaskade's reason headers and skipped, so one poison record
 * never stops a topology.
 */
public final class StreamsProperties {
  private StreamsProperties() {}

  /**
   * How every topology closes: leaving the consumer group, so that a restarted instance (a new
   * {@code kaskade up}, a rolled pod) gets its tasks at once instead of after the old member's
   * session timeout (45 s), which would stall transformers and the audit meanwhile.
   */
  public static CloseOptions closeOptions() {
    return CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(10));
  }

  public static Properties of(
      String applicationId,
      KafkaConnection bootstrap,
      Path stateDir,
      boolean exactlyOnce,
      String deadLetterTopic,
      int maxMessageBytes) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    ClientConfigs.streams(bootstrap, p);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    p.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, exactlyOnce ? 100 : 200);
    if (exactlyOnce) {
      // Streams' own default is 10 s. The exactly-once topologies (payload logger, monitor) run
      // below the calls' threads (BackgroundPriority), so on busy cores the time between two
      // commits stretches. A transaction that outlives its timeout is aborted by the broker and
      // its producer fenced, and the task restores and reprocesses: the payload logger once did
      // so in a loop (docs/performance.md, change 16).
      p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 60_000);
    }
    // A task reads partition n of every matching topic (the topologies subscribe by pattern), but
    // nothing here joins or orders records across topics: never hold a record back to wait for
    // data (or a fetch) on the task's other partitions.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.Deserialization.class);
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.Processing.class);
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.Production.class);
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxMessageBytes);
    // At-least-once topologies sit on the synchronous path (transformers): send at once.
    // Exactly-once output is only visible when the transaction commits (commit.interval.ms), so
    // lingering costs no latency there and turns one producer wake-up per record into one per
    // batch.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), exactlyOnce ? 10 : 0);
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        maxMessageBytes);
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
        ClientConfigs.FETCH_MAX_WAIT_MS);
    // Restores read changelogs to their end before a task runs (start-up, after kill -9): they
    // never idle, so they ask again quickly (docs/performance.md, change 3).
    p.put(
        StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
        ClientConfigs.FETCH_MAX_WAIT_MS_SHORT);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Only the main consumer subscribes by pattern and must see a new InferenceService's topics
    // soon; the producers, admin client and the restore and global consumers ask for metadata
    // when they need it (Kafka's 5 min refresh): 6.8 → 1.6 Metadata requests a second idle.
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 2000);
    return p;
  }
}
