package dev.kaskade.sink;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.sink.sign.HeadSigner;
import dev.kaskade.sink.sign.KafkaAnchors;
import dev.kaskade.sink.sign.SigningKeys;
import dev.kaskade.sink.store.BlobStore;
import dev.kaskade.sink.store.BlobStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit sink as a deployable: consumes {@code topics.auditPayloads()} into the audit store.
 *
 * <p>Settings: {@code audit.store} (s3://bucket/prefix or a path; default {@code
 * <data-dir>/audit}), {@code audit.flush.ms} (2000; records are queryable at most this long after
 * they reach Kafka, plus the flush), {@code audit.sink.group} (kaskade-audit-sink) and the S3 keys
 * of {@link BlobStores}.
 *
 * <p>Signing: {@code audit.signing.key} (path of the Ed25519 private key, PKCS#8 PEM; default
 * {@code <data-dir>/secrets/audit-signing.key}), {@code audit.signing.generate} (true: create the
 * key pair there when it is missing, what {@code kaskade up} sets; otherwise a missing key stops
 * the sink), {@code audit.anchor.ms} (10000: how often the signed heads go to {@code
 * topics.auditAnchors()}, and at shutdown).
 */
public final class AuditSinkComponent implements KaskadeComponent {
  public static final String FLUSH_MS = "audit.flush.ms";
  public static final String GROUP = "audit.sink.group";
  public static final String COMPONENT = "audit-sink";
  public static final String SIGNING_KEY = "audit.signing.key";
  public static final String SIGNING_GENERATE = "audit.signing.generate";
  public static final String ANCHOR_MS = "audit.anchor.ms";
  private static final Logger LOG = LoggerFactory.getLogger(AuditSinkComponent.class);

  private final KaskadeContext ctx;
  private BlobStore store;
  private KafkaProducer<byte[], byte[]> deadLetters;
  private AuditSink sink;
  private KafkaAnchors anchors;

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
    ctx.provisioner().ensureTopics(ctx.topicSpecs().platformTopics());
    ctx.provisioner().ensureTopics(ctx.topicSpecs().deadLetter(COMPONENT));
    store = BlobStores.open(ctx.settings().get(BlobStores.STORE), ctx.dataDir(), ctx.settings());
    int max = ctx.topicSettings().maxMessageBytes();
    Map<String, Object> producer = ClientConfigs.producer(ctx.kafka(), max);
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    deadLetters = new KafkaProducer<>(producer);
    Map<String, Object> consumer =
        ClientConfigs.consumer(ctx.kafka(), ctx.setting(GROUP, "kaskade-audit-sink"), max);
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    sink =
        new AuditSink(
            consumer,
            deadLetters,
            ctx.topics().auditPayloads(),
            ctx.topics().deadLetter(COMPONENT),
            store,
            ctx.registry(),
            ctx.intSetting(FLUSH_MS, 2000),
            signing());
    sink.awaitAssignment(Duration.ofSeconds(30));
  }

  private AuditSink.Signing signing() throws IOException {
    String configured = ctx.settings().get(SIGNING_KEY);
    Path key =
        configured == null || configured.isBlank()
            ? SigningKeys.defaultPrivateKey(ctx.dataDir())
            : Path.of(configured);
    if (!Files.exists(key)) {
      if (!Boolean.parseBoolean(ctx.setting(SIGNING_GENERATE, "false"))) {
        throw new IllegalStateException(
            "audit signing key "
                + key
                + " does not exist: mount an Ed25519 private key (PKCS#8 PEM) and set "
                + SIGNING_KEY
                + ", or set "
                + SIGNING_GENERATE
                + "=true to create one");
      }
      SigningKeys.generate(key);
      LOG.info(
          "generated the audit signing key {} (public key {})",
          key,
          SigningKeys.publicKeyBeside(key));
    }
    anchors = new KafkaAnchors(ctx.kafka(), ctx.topics().auditAnchors());
    return new AuditSink.Signing(
        new HeadSigner(SigningKeys.readPrivate(key), Clock.systemUTC()),
        anchors,
        ctx.intSetting(ANCHOR_MS, 10_000));
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
    if (anchors != null) {
      anchors.close();
    }
    if (deadLetters != null) {
      deadLetters.close(Duration.ofSeconds(2));
    }
    if (store != null) {
      store.close();
    }
  }
}
