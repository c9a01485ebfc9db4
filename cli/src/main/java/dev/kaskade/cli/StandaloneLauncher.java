package dev.kaskade.cli;

import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.TopicSpecs;
import dev.kaskade.schemas.topic.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the standalone installation in order — broker, registry, platform topics, then every
 * {@link ComponentFactory} on the classpath — and stops it in reverse.
 */
final class StandaloneLauncher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneLauncher.class);

  /**
   * The worker's {@code WorkerConfig.MEMORY_BUDGET} (model-workers is a runtime-only dependency of
   * the CLI; StandaloneLauncherTest checks the two agree).
   */
  static final String MODEL_MEMORY_BUDGET = "worker.memory.budget.bytes";

  /**
   * After {@code kill -9} the restarted controller keeps the dead broker's registration until its
   * session expires, and refuses the new incarnation meanwhile (DUPLICATE_BROKER_REGISTRATION):
   * with the 9 s default that alone delayed the restart by about 10 s. Broker and controller share
   * this JVM, so a 3 s session with a heartbeat every 300 ms is still ten missed beats.
   */
  static final Map<String, String> BROKER_SESSION =
      Map.of("broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "300");

  static final String RECOVERED_LINE = "Previous instance did not stop cleanly";

  private final StandaloneOptions options;
  private final PrintStream out;
  private final List<KaskadeComponent> components =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<String> endpoints = new ArrayList<>();
  private EmbeddedKafka kafka;
  private SchemaRegistryServer registryServer;
  private SchemaRegistryClient registry;
  private Admin admin;
  private boolean closed;

  StandaloneLauncher(StandaloneOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  void start() {
    TopicSettings topicSettings = TopicSettings.standalone();
    kafka =
        EmbeddedKafka.start(
            new EmbeddedKafkaConfig(
                options.dataDir().resolve("kafka"),
                options.kafkaPort(),
                topicSettings.maxMessageBytes(),
                BROKER_SESSION));
    endpoints.add("Kafka            " + kafka.bootstrapServers());
    registryServer = SchemaRegistryServer.start(kafka.bootstrapServers(), options.registryPort());
    endpoints.add("Schema registry  " + registryServer.url());
    registry = new HttpSchemaRegistryClient(registryServer.url());
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    int stale = StaleGroupMembers.evict(admin);
    if (stale > 0) {
      out.println(RECOVERED_LINE + ": removed its members from " + stale + " consumer groups");
    }
    Topics topics = Topics.withDefaultPrefix();
    TopicProvisioner provisioner =
        new TopicProvisioner(admin, registry, topicSettings.replicationFactor());
    provisioner.ensure(new TopicSpecs(topics, topicSettings).platformTopics());
    KaskadeContext context =
        new KaskadeContext(
            kafka.bootstrapServers(),
            registry,
            topics,
            topicSettings,
            provisioner,
            options.dataDir(),
            settings());
    startComponents(context);
    new InstanceFile(
            kafka.bootstrapServers(),
            registryServer.url(),
            options.httpPort(),
            options.grpcPort(),
            ProcessHandle.current().pid())
        .write(options.dataDir());
  }

  List<String> endpoints() {
    return List.copyOf(endpoints);
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /**
   * {@code KASKADE_<KEY>} environment variables (as in cluster mode, e.g. {@code
   * KASKADE_WORKER_MEMORY_BUDGET_BYTES}), then what the flags say.
   */
  Map<String, String> settings() {
    Map<String, String> settings = ClusterCommand.environmentSettings();
    settings.put("gateway.http.port", Integer.toString(options.httpPort()));
    settings.put("gateway.grpc.port", Integer.toString(options.grpcPort()));
    if (options.modelMemoryBudgetBytes() != null) {
      settings.put(MODEL_MEMORY_BUDGET, Long.toString(options.modelMemoryBudgetBytes()));
    }
    List<Path> manifests = new ArrayList<>(options.manifests());
    if (options.demo()) {
      manifests.add(0, DemoModel.manifestDir(options.dataDir()));
      manifests.add(1, DemoModel.minilmDir(options.dataDir()));
    }
    settings.put(
        "control.manifests",
        manifests.stream().map(Path::toString).collect(Collectors.joining(",")));
    return settings;
  }

  /**
   * Starts the first factory (the control plane, which publishes the built-in runtimes and the
   * manifests) alone, then all others at once: they only meet through topics, and starting the
   * Streams applications, workers and gateway in parallel halves the start-up time.
   */
  private void startComponents(KaskadeContext context) {
    List<ComponentFactory> factories = new ArrayList<>();
    ServiceLoader.load(ComponentFactory.class).forEach(factories::add);
    factories.sort(Comparator.comparingInt(ComponentFactory::order));
    List<KaskadeComponent> created = new ArrayList<>();
    for (ComponentFactory factory : factories) {
      created.add(factory.create(context));
    }
    if (created.isEmpty()) {
      return;
    }
    start(created.get(0));
    List<Thread> starters = new ArrayList<>();
    List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (KaskadeComponent component : created.subList(1, created.size())) {
      starters.add(
          Thread.ofVirtual()
              .name("start-" + component.name())
              .start(
                  () -> {
                    try {
                      start(component);
                    } catch (RuntimeException e) {
                      failures.add(e);
                    }
                  }));
    }
    for (Thread starter : starters) {
      try {
        starter.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while starting");
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    for (KaskadeComponent component : created) {
      endpoints.addAll(component.endpoints());
    }
  }

  private void start(KaskadeComponent component) {
    try {
      component.start();
    } catch (Exception e) {
      component.close();
      throw new CliException("cannot start " + component.name() + ": " + e.getMessage());
    }
    components.add(component);
    LOG.info("started {}", component.name());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    InstanceFile.delete(options.dataDir());
    List<KaskadeComponent> started = new ArrayList<>(components);
    for (int i = started.size() - 1; i >= 0; i--) {
      closeQuietly(started.get(i)::close, started.get(i).name());
    }
    if (admin != null) {
      closeQuietly(admin::close, "admin");
    }
    if (registry != null) {
      closeQuietly(registry::close, "registry client");
    }
    if (registryServer != null) {
      closeQuietly(registryServer::close, "schema registry");
    }
    if (kafka != null) {
      closeQuietly(kafka::close, "Kafka");
    }
  }

  private void closeQuietly(Runnable close, String what) {
    try {
      close.run();
    } catch (RuntimeException e) {
      out.println("warning: stopping " + what + " failed: " + e.getMessage());
    }
  }
}
