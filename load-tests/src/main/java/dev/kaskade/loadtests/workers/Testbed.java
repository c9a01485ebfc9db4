package dev.kaskade.loadtests.workers;

import dev.kaskade.events.BatcherSpec;
import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A real single-node platform for the benchmarks: an {@link EmbeddedKafka} broker in a temporary
 * directory, the embedded Kafka-backed {@link SchemaRegistryServer} with an {@link
 * HttpSchemaRegistryClient}, the platform topics, and a {@link KaskadeContext} with the default
 * {@code kaskade} prefix and standalone topic settings (2 partitions).
 */
public final class Testbed implements AutoCloseable {
  public static final String NAMESPACE = "default";

  private final Path dir;
  private final EmbeddedKafka kafka;
  private final SchemaRegistryServer registryServer;
  private final SchemaRegistryClient registry;
  private final Admin admin;
  private final KaskadeContext ctx;

  private Testbed(Map<String, String> settings) throws IOException {
    quietLogs();
    dir = Files.createTempDirectory("kaskade-bench");
    kafka = EmbeddedKafka.start(brokerConfig(dir.resolve("kafka")));
    registryServer = SchemaRegistryServer.start(kafka.bootstrapServers(), 0);
    registry = new HttpSchemaRegistryClient(registryServer.url());
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    Path data = Files.createDirectories(dir.resolve("data"));
    ctx =
        new KaskadeContext(
            bootstrap(),
            registry,
            new Topics(Topics.DEFAULT_PREFIX),
            TopicSettings.standalone(),
            new TopicProvisioner(admin, registry, (short) 1),
            data,
            settings);
    ctx.provisioner().ensure(ctx.topicSpecs().platformTopics());
  }

  /** The embedded broker's defaults, with {@code -Dbroker.X=V} overrides for experiments. */
  private static EmbeddedKafkaConfig brokerConfig(Path kafkaDir) {
    Map<String, String> overrides = new java.util.HashMap<>();
    System.getProperties()
        .forEach(
            (k, v) -> {
              if (k.toString().startsWith("broker.")) {
                overrides.put(k.toString().substring("broker.".length()), v.toString());
              }
            });
    EmbeddedKafkaConfig defaults = EmbeddedKafkaConfig.at(kafkaDir);
    return new EmbeddedKafkaConfig(
        kafkaDir, defaults.port(), defaults.maxMessageBytes(), overrides);
  }

  /**
   * Settings for a benchmark that runs worker, dispatcher and gateway in this JVM: fixed instance
   * ids, the gateway's HTTP port picked free on 127.0.0.1 and no separate gRPC port; {@code
   * overrides} win.
   */
  public static Map<String, String> benchSettings(Map<String, String> overrides) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("worker.id", "bench-worker");
    settings.put(dev.kaskade.workers.dispatch.RequestDispatcher.ID, "bench-dispatcher");
    settings.put("gateway.http.port", "0");
    settings.put("gateway.grpc.port", "-1");
    settings.put("gateway.host", "127.0.0.1");
    settings.put("gateway.instance.id", "bench");
    settings.putAll(overrides);
    return Map.copyOf(settings);
  }

  public static Testbed start(Map<String, String> settings) throws IOException {
    return new Testbed(settings);
  }

  /** Keeps Kafka's INFO chatter off the benchmark output (slf4j-simple reads this once). */
  public static void quietLogs() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (System.getProperty("log4j2.loggerContextFactory") == null) {
      // log4j-core is excluded: the broker's log4j-api logs through its simple logger
      System.setProperty(
          "log4j2.loggerContextFactory",
          "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
      System.setProperty("org.apache.logging.log4j.simplelog.level", "WARN");
    }
  }

  public String bootstrap() {
    return kafka.bootstrapServers();
  }

  public String registryUrl() {
    return registryServer.url();
  }

  public SchemaRegistryClient registry() {
    return registry;
  }

  public KaskadeContext ctx() {
    return ctx;
  }

  /** {@code <name>-predictor-<8 hex>}, like the reconciler's revision ids. */
  public static String revision(String name, BatcherSpec batcher) {
    int hash = (name + "|" + batcher).hashCode();
    return name + "-predictor-" + HexFormat.of().toHexDigits(hash);
  }

  /**
   * Publishes the InferenceService to the control topic as the reconciler would, creates its topics
   * (and registers their schemas), and returns the predictor revision id.
   */
  public String deployInferenceService(String name, Path model, BatcherSpec batcher) {
    PredictorSpec predictor = predictor(name, model, batcher);
    String revision = predictor.getRevision();
    deploy(name, InferenceServiceSpec.newBuilder().setPredictor(predictor).build());
    return revision;
  }

  /** An ONNX predictor of {@code model} with revision {@link #revision}. */
  public static PredictorSpec predictor(String name, Path model, BatcherSpec batcher) {
    return PredictorSpec.newBuilder()
        .setRevision(revision(name, batcher))
        .setModelFormat("onnx")
        .setStorageUri(model.toUri().toString())
        .setBatcher(batcher)
        .build();
  }

  /**
   * Publishes an InferenceService with this spec (transformer, explainer, logger, monitor_json as
   * set) and creates the topics of its predictor revision.
   */
  public void deploy(String name, InferenceServiceSpec spec) {
    ensureTopics(name, spec.getPredictor().getRevision());
    publish(
        ResourceEvent.newBuilder()
            .setKind("InferenceService")
            .setNamespace(NAMESPACE)
            .setName(name)
            .setSpec(spec)
            .build());
  }

  /** Publishes an InferenceGraph ({@code nodes_json} = KServe's spec.nodes) and its topics. */
  public void deployGraph(String name, String nodesJson) {
    ctx.provisioner().ensure(ctx.topicSpecs().graphTopics(NAMESPACE, name));
    publish(
        ResourceEvent.newBuilder()
            .setKind("InferenceGraph")
            .setNamespace(NAMESPACE)
            .setName(name)
            .setSpec(InferenceGraphSpec.newBuilder().setNodesJson(nodesJson).build())
            .build());
  }

  /** A context on the same broker and registry with other settings and data directory. */
  public KaskadeContext context(Map<String, String> settings, String dataSubdir) {
    try {
      return new KaskadeContext(
          bootstrap(),
          registry,
          ctx.topics(),
          ctx.topicSettings(),
          ctx.provisioner(),
          Files.createDirectories(dir.resolve(dataSubdir)),
          settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The benchmark's temporary directory (deleted on close). */
  public Path dir() {
    return dir;
  }

  private void publish(ResourceEvent event) {
    control(
        event.getKind(),
        event.getName(),
        new AvroSerializer<ResourceEvent>(registry)
            .serialize(ctx.topics().controlResources(), event));
  }

  /** Creates the InferenceService's topics and registers their schemas. */
  public void ensureTopics(String name, String revision) {
    ctx.provisioner().ensure(ctx.topicSpecs().inferenceServiceTopics(NAMESPACE, name, revision));
  }

  /** Deletes the InferenceService (tombstone on the control topic): its worker stops. */
  public void deleteInferenceService(String name) {
    control("InferenceService", name, null);
  }

  private void control(String kind, String name, byte[] value) {
    String topic = ctx.topics().controlResources();
    try (var producer =
        new KafkaProducer<String, byte[]>(
            ClientConfigs.producer(bootstrap(), TopicSettings.DEFAULT_MAX_MESSAGE_BYTES))) {
      producer
          .send(new ProducerRecord<>(topic, ResourceKeys.resource(kind, NAMESPACE, name), value))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot publish to " + topic, e.getCause());
    }
  }

  /**
   * Finds {@code examples/<name>/model.onnx} from the working directory or one of its parents
   * (exec:java runs in the repository root, {@code java -cp} wherever it is started).
   */
  public static Path exampleModel(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("examples").resolve(name).resolve("model.onnx");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "examples/" + name + "/model.onnx not found above " + Path.of("").toAbsolutePath());
  }

  @Override
  public void close() {
    try {
      registryServer.close();
    } catch (RuntimeException e) {
      // best effort
    }
    admin.close();
    kafka.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
