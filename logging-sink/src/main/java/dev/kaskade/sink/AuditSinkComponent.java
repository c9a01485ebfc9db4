package dev.kaskade.sink;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.sink.store.BlobStore;
import dev.kaskade.sink.store.BlobStores;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The audit sink as a deployable: consumes {@code topics.auditPayloads()} into the audit store.
 *
 * <p>Settings: {@code audit.store} (s3://bucket/prefix or a path; default {@code
 * <data-dir>/audit}), {@code audit.flush.ms} (2000; records are queryable at most this long after
 * they reach Kafka, plus the flush), {@code audit.sink.group} (kaskade-audit-sink) and the S3 keys
 * of {@link BlobStores}.
 */
public final class AuditSinkComponent implements KaskadeComponent {
  public static final String FLUSH_MS = "audit.flush.ms";
  public static final String GROUP = "audit.sink.group";
  public static final String COMPONENT = "audit-sink";

  private final KaskadeContext ctx;
  private BlobStore store;
  private KafkaProducer<byte[], byte[]> deadLetters;
  private AuditSink sink;

  public AuditSinkComponent(KaskadeContext ctx) {
    AvroTrust.install();
    this.ctx = ctx;
  }

  @Override
  public String name() {
    return COMPONENT;
  }

  @Override
  public void start() throws Exception {
    ctx.provisioner().ensure(ctx.topicSpecs().platformTopics());
    ctx.provisioner().ensure(ctx.topicSpecs().deadLetter(COMPONENT));
    store = BlobStores.open(ctx.settings().get(BlobStores.STORE), ctx.dataDir(), ctx.settings());
    int max = ctx.topicSettings().maxMessageBytes();
    Map<String, Object> producer = ClientConfigs.producer(ctx.kafka(), max);
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    deadLetters = new KafkaProducer<>(producer);
    Map<String, Object> consumer =
        ClientConfigs.consumer(ctx.kafka(), ctx.setting(GROUP, "kaskade-audit-sink"), max);
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    sink =
        new AuditSink(
            consumer,
            deadLetters,
            ctx.topics().auditPayloads(),
            ctx.topics().deadLetter(COMPONENT),
            store,
            ctx.registry(),
            ctx.intSetting(FLUSH_MS, 2000));
    sink.awaitAssignment(Duration.ofSeconds(30));
  }

  @Override
  public List<String> endpoints() {
    return store == null ? List.of() : List.of("audit store " + store.describe());
  }

  @Override
  public void close() {
    if (sink != null) {
      sink.close();
    }
    if (deadLetters != null) {
      deadLetters.close(Duration.ofSeconds(2));
    }
    if (store != null) {
      store.close();
    }
  }
}
