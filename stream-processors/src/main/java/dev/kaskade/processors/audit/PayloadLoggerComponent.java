package dev.kaskade.processors.audit;

import dev.kaskade.processors.StreamProcessorsComponent;
import dev.kaskade.processors.topology.ReplaceFailedThread;
import dev.kaskade.processors.topology.StreamsProperties;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.schemas.topic.TopicSpecs;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the payload logger topology (exactly-once) and, unless disabled, the CloudEvents HTTP
 * delivery.
 *
 * <p>Settings: {@code audit.window.ms} (60000) pairing window; {@code audit.punctuate.ms} (1000);
 * {@code audit.default.mode} (all) for isvcs without a logger block; {@code audit.source}
 * (kaskade-payload-logger) the ce-source; {@code audit.application.id} (kaskade-payload-logger);
 * {@code audit.metadata.max.age.ms} (5000) how soon a new isvc's topics are subscribed; {@code
 * audit.http.enabled} (true); {@code audit.http.attempts} (5); {@code audit.http.backoff.ms} (200);
 * {@code audit.http.timeout.ms} (5000); {@code audit.http.queue} (1000) events queued per logger
 * URL; {@code audit.http.breaker.ms} (30000) how long a URL that failed an event gets no tries.
 */
public final class PayloadLoggerComponent implements KaskadeComponent {
  public static final String WINDOW_MS = "audit.window.ms";
  public static final String PUNCTUATE_MS = "audit.punctuate.ms";
  public static final String DEFAULT_MODE = "audit.default.mode";
  public static final String SOURCE = "audit.source";
  public static final String APPLICATION_ID = "audit.application.id";
  public static final String METADATA_MAX_AGE_MS = "audit.metadata.max.age.ms";
  public static final String HTTP_ENABLED = "audit.http.enabled";
  public static final String HTTP_ATTEMPTS = "audit.http.attempts";
  public static final String HTTP_BACKOFF_MS = "audit.http.backoff.ms";
  public static final String HTTP_TIMEOUT_MS = "audit.http.timeout.ms";
  public static final String HTTP_QUEUE = "audit.http.queue";
  public static final String HTTP_BREAKER_MS = "audit.http.breaker.ms";
  public static final String HTTP_MAX_ENDPOINTS = "audit.http.max.endpoints";
  public static final String HTTP_IDLE_MS = "audit.http.endpoint.idle.ms";

  private static final Logger LOG = LoggerFactory.getLogger(PayloadLoggerComponent.class);

  private final KaskadeContext ctx;
  private final PayloadLoggerOptions options;
  private KafkaStreams streams;
  private LoggerPolicyView policies;
  private CloudEventsHttpDelivery delivery;

  public PayloadLoggerComponent(KaskadeContext ctx) {
    AvroTrust.install();
    this.ctx = ctx;
    long window = Long.parseLong(ctx.setting(WINDOW_MS, "60000"));
    this.options =
        new PayloadLoggerOptions(
            window,
            Long.parseLong(ctx.setting(PUNCTUATE_MS, Long.toString(Math.min(1000, window)))),
            ctx.setting(SOURCE, "kaskade-payload-logger"),
            ctx.setting(DEFAULT_MODE, "all"));
  }

  @Override
  public String name() {
    return PayloadLoggerTopology.COMPONENT;
  }

  @Override
  public void start() throws Exception {
    TopicSpecs specs = ctx.topicSpecs();
    ctx.provisioner().ensureTopics(specs.platformTopics());
    ctx.provisioner().ensureTopics(specs.deadLetter(PayloadLoggerTopology.COMPONENT));
    streams =
        new KafkaStreams(
            PayloadLoggerTopology.build(
                ctx.topics(), ctx.registry(), options, ctx.topicSettings().partitions()),
            streamsConfig());
    streams.setUncaughtExceptionHandler(new ReplaceFailedThread(PayloadLoggerTopology.COMPONENT));
    streams.start();
    // As long as the other Streams applications may take to restore after a crash.
    long deadline = System.currentTimeMillis() + StreamProcessorsComponent.START_TIMEOUT.toMillis();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.currentTimeMillis() > deadline || !streams.state().isRunningOrRebalancing()) {
        throw new IllegalStateException("payload logger did not start: " + streams.state());
      }
      Thread.sleep(50);
    }
    if (Boolean.parseBoolean(ctx.setting(HTTP_ENABLED, "true"))) {
      startDelivery();
    }
    LOG.info("payload logger running, window {} ms", options.windowMs());
  }

  private void startDelivery() {
    int max = ctx.topicSettings().maxMessageBytes();
    policies =
        new LoggerPolicyView(
            ClientConfigs.consumer(ctx.kafka(), null, max),
            ctx.topics().controlResources(),
            ctx.registry(),
            options.defaultMode());
    Map<String, Object> consumer =
        ClientConfigs.consumer(ctx.kafka(), applicationId() + "-http", max);
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    delivery =
        new CloudEventsHttpDelivery(
            consumer,
            ctx.topics().auditPayloads(),
            policies,
            ctx.registry(),
            new CloudEventsHttpDelivery.Retry(
                ctx.intSetting(HTTP_ATTEMPTS, 5),
                ctx.intSetting(HTTP_BACKOFF_MS, 200),
                ctx.intSetting(HTTP_TIMEOUT_MS, 5000)),
            new CloudEventsHttpDelivery.Isolation(
                ctx.intSetting(HTTP_QUEUE, 1000),
                ctx.intSetting(HTTP_BREAKER_MS, 30_000),
                ctx.intSetting(HTTP_MAX_ENDPOINTS, 100),
                ctx.intSetting(HTTP_IDLE_MS, 300_000)),
            new KafkaProducer<>(ClientConfigs.producer(ctx.kafka(), max)),
            ctx.topics().deadLetter(PayloadLoggerTopology.COMPONENT));
  }

  private String applicationId() {
    return ctx.setting(APPLICATION_ID, "kaskade-payload-logger");
  }

  Properties streamsConfig() {
    // The shared settings (exactly-once, dead-letter handlers and topic, message sizes), so one
    // record that a processor, the serdes or the broker refuses is dead-lettered with the reason,
    // never allowed to stop (and crash-loop) the audit task; then what the logger sets itself.
    Properties props =
        StreamsProperties.of(
            applicationId(),
            ctx.kafka(),
            ctx.dataDir().resolve("streams").resolve(applicationId()),
            true,
            ctx.topics().deadLetter(PayloadLoggerTopology.COMPONENT),
            ctx.topicSettings().maxMessageBytes());
    props.put(
        StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) ctx.topicSettings().replicationFactor());
    // No store of the logger is cached (PayloadLoggerTopology, docs/performance.md change 15).
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
    props.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG),
        ctx.intSetting(METADATA_MAX_AGE_MS, 5000));
    return props;
  }

  /** Endpoints are none: the logger only talks to Kafka and the configured logger urls. */
  @Override
  public List<String> endpoints() {
    return List.of();
  }

  @Override
  public void close() {
    if (delivery != null) {
      delivery.close();
    }
    if (policies != null) {
      policies.close();
    }
    if (streams != null) {
      streams.close(StreamsProperties.closeOptions());
    }
  }
}
