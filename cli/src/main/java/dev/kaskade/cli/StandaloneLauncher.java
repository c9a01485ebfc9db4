package dev.kaskade.cli;

import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import dev.kaskade.schemas.kafka.AclLayout;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.KafkaSecurity;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClientConfig;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicReplication;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.TopicSpecs;
import dev.kaskade.schemas.topic.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
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
  private SecureStandalone secure;
  private boolean closed;
  private final long startedNanos = System.nanoTime();

  StandaloneLauncher(StandaloneOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  void start() {
    DataDirOption.createPrivate(options.dataDir());
    String warning =
        GatewaySecurityOptions.exposureWarning(dev.kaskade.schemas.runtime.Settings.of(settings()));
    if (warning != null) {
      out.println(warning);
    }
    if (options.secure() && options.kafka().existingKafka()) {
      throw new CliException(
          "--secure secures the embedded broker; with --kafka give the cluster's own security"
              + " settings (KASKADE_KAFKA_* or --kafka-config, docs/security.md)",
          2);
    }
    TopicSettings standalone = TopicSettings.standalone();
    secure = options.secure() ? SecureStandalone.prepare(options.dataDir()) : null;
    String bootstrapServers = startKafka(standalone);
    LOG.info("Kafka up after {}", sinceStart());
    admin =
        Admin.create(ClientConfigs.admin(new KafkaConnection(bootstrapServers, adminSecurity())));
    if (!options.kafka().existingKafka()) {
      CoordinatorWarmUp.transactions(admin);
    }
    TopicReplication replication = replication();
    TopicSettings topicSettings = standalone.withReplicationFactor(replication.replicationFactor());
    Topics topics = Topics.withDefaultPrefix();
    if (secure != null) {
      secure.applyAcls(admin, topics);
    }
    String registryUrl = startRegistry(bootstrapServers, replication);
    LOG.info("schema registry up after {}", sinceStart());
    if (secure != null) {
      endpoints.add("Kafka secrets    " + secure.clientFile());
    }
    if (!options.kafka().existingKafka()) {
      // Only on our own broker can no member present at start be alive (see StaleGroupMembers).
      int stale = StaleGroupMembers.evict(admin);
      if (stale > 0) {
        out.println(RECOVERED_LINE + ": removed its members from " + stale + " consumer groups");
      }
      CoordinatorWarmUp.groups(admin);
    }
    TopicProvisioner provisioner = new TopicProvisioner(admin, registry, replication);
    // Their schemas register meanwhile (awaited below): components need only the topics.
    provisioner.ensureTopics(new TopicSpecs(topics, topicSettings).platformTopics());
    LOG.info("platform topics ready after {}", sinceStart());
    KaskadeContext context =
        new KaskadeContext(
            bootstrapServers,
            registry,
            topics,
            topicSettings,
            provisioner,
            options.dataDir(),
            settings());
    startComponents(context);
    provisioner.awaitSchemas();
    LOG.info("topic schemas registered after {}", sinceStart());
    new InstanceFile(
            bootstrapServers,
            registryUrl,
            options.httpPort(),
            options.grpcPort(),
            ProcessHandle.current().pid())
        .write(options.dataDir());
  }

  /** The embedded broker's bootstrap servers, or the existing cluster's ({@code --kafka}). */
  private String startKafka(TopicSettings topicSettings) {
    if (options.kafka().existingKafka()) {
      endpoints.add("Kafka (existing) " + options.kafka().bootstrapServers());
      return options.kafka().bootstrapServers();
    }
    EmbeddedKafkaConfig kafkaConfig =
        new EmbeddedKafkaConfig(
            options.dataDir().resolve("kafka"),
            options.kafkaPort(),
            topicSettings.maxMessageBytes(),
            BROKER_SESSION);
    kafka =
        EmbeddedKafka.start(secure != null ? kafkaConfig.secured(secure.secrets()) : kafkaConfig);
    endpoints.add(
        "Kafka            " + kafka.bootstrapServers() + (secure != null ? " (SASL_SSL)" : ""));
    return kafka.bootstrapServers();
  }

  /**
   * The existing registry ({@code --registry}), or the embedded one storing in this Kafka; sets
   * {@link #registry} and returns the registry's URL.
   */
  private String startRegistry(String bootstrapServers, TopicReplication replication) {
    if (options.kafka().existingRegistry()) {
      endpoints.add("Schema registry (existing) " + options.kafka().registryUrl());
      registry = new HttpSchemaRegistryClient(options.kafka().registryUrl());
      return options.kafka().registryUrl();
    }
    SchemaRegistryServer.Options registryOptions =
        SchemaRegistryServer.Options.defaults(bootstrapServers)
            .withPort(options.registryPort())
            .withReplicationFactor(replication.replicationFactor());
    if (secure != null) {
      registryOptions =
          registryOptions
              .withKafkaSecurity(secure.principal(AclLayout.REGISTRY))
              .withBasicAuth(secure.registryAuth());
    } else if (options.kafka().existingKafka()) {
      registryOptions = registryOptions.withKafkaSecurity(clusterSecurity());
    }
    registryServer = new SchemaRegistryServer(registryOptions).start();
    endpoints.add("Schema registry  " + registryServer.url());
    SchemaRegistryClientConfig clientConfig = SchemaRegistryClientConfig.of(registryServer.url());
    if (secure != null) {
      clientConfig = clientConfig.withBasicAuth(secure.registryAuth());
      secure.writeClientFile(registryServer.url());
    }
    registry = new HttpSchemaRegistryClient(clientConfig);
    return registryServer.url();
  }

  /** Secured embedded broker: the admin principal; an existing cluster: KASKADE_KAFKA_* etc. */
  private KafkaSecurity adminSecurity() {
    if (secure != null) {
      return secure.admin();
    }
    return options.kafka().existingKafka() ? clusterSecurity() : KafkaSecurity.none();
  }

  private KafkaSecurity clusterSecurity() {
    return KafkaSecurity.fromSettings(dev.kaskade.schemas.runtime.Settings.of(settings()));
  }

  /** What fits the cluster (one copy on the embedded broker), with the operator's overrides. */
  private TopicReplication replication() {
    KafkaTarget target = options.kafka();
    try {
      return TopicReplication.resolve(
          TopicProvisioner.brokerCount(admin),
          target.replicationFactor(),
          target.minInsyncReplicas());
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), 2);
    } catch (IllegalStateException e) {
      throw new CliException(
          "cannot reach Kafka at " + options.kafka().bootstrapServers() + ": " + e.getMessage());
    }
  }

  List<String> endpoints() {
    return List.copyOf(endpoints);
  }

  /**
   * {@code KASKADE_<KEY>} environment variables (as in cluster mode, e.g. {@code
   * KASKADE_WORKER_MEMORY_BUDGET_BYTES}), then what the flags say.
   */
  Map<String, String> settings() {
    Map<String, String> settings = ClusterCommand.environmentSettings();
    // Standalone is a developer install: the gateway stays on loopback unless asked otherwise.
    if (!dev.kaskade.schemas.runtime.Settings.of(settings)
        .containsKey(GatewaySecurityOptions.HOST)) {
      settings.put(GatewaySecurityOptions.HOST, GatewaySecurityOptions.LOOPBACK);
    }
    settings.putAll(options.gatewaySettings());
    settings.put("gateway.http.port", Integer.toString(options.httpPort()));
    settings.put("gateway.grpc.port", Integer.toString(options.grpcPort()));
    // standalone keeps the audit signing key in <data-dir>/secrets/, created on first start
    settings.putIfAbsent("audit.signing.generate", "true");
    if (options.modelMemoryBudgetBytes() != null) {
      settings.put(MODEL_MEMORY_BUDGET, Long.toString(options.modelMemoryBudgetBytes()));
    }
    List<Path> manifests = new ArrayList<>(options.manifests());
    if (options.demo()) {
      manifests.add(0, DemoModel.manifestDir(options.dataDir()));
      manifests.add(1, DemoTinyLm.manifestDir(options.dataDir()));
      manifests.add(2, DemoModel.minilmDir(options.dataDir()));
    }
    settings.put(
        "control.manifests",
        manifests.stream().map(Path::toString).collect(Collectors.joining(",")));
    return settings;
  }

  /**
   * Starts the first factory (the control plane, which publishes the built-in runtimes and the
   * manifests) and, beside it, the components that need no resource to start (the Streams
   * applications and the audit sink, {@link ComponentFactory#startsBesideControlPlane}); then all
   * others at once. They only meet through topics, and starting them in parallel halves the
   * start-up time; workers and the gateway wait for the control plane, so that by the ready line
   * the workers have the demo models to load.
   */
  private void startComponents(KaskadeContext context) {
    List<ComponentFactory> factories = new ArrayList<>();
    ServiceLoader.load(ComponentFactory.class).forEach(factories::add);
    if (factories.isEmpty()) {
      return;
    }
    StartOrder order = StartOrder.of(factories);
    java.util.Map<ComponentFactory, KaskadeComponent> created = new java.util.IdentityHashMap<>();
    for (ComponentFactory factory : order.all()) {
      created.put(factory, factory.create(contextFor(factory, context)));
    }
    KaskadeComponent first = created.get(order.first());
    List<KaskadeComponent> beside = order.beside().stream().map(created::get).toList();
    List<KaskadeComponent> after = order.after().stream().map(created::get).toList();
    List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> starters = new ArrayList<>(startInParallel(beside, failures));
    try {
      start(first);
    } catch (RuntimeException e) {
      failures.add(0, e);
    }
    if (failures.isEmpty()) {
      starters.addAll(startInParallel(after, failures));
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
    for (ComponentFactory factory : order.all()) {
      endpoints.addAll(created.get(factory).endpoints());
    }
  }

  private List<Thread> startInParallel(
      List<KaskadeComponent> components, List<RuntimeException> failures) {
    List<Thread> starters = new ArrayList<>();
    for (KaskadeComponent component : components) {
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
    return starters;
  }

  /** Secured: the component logs in to Kafka as its own principal. */
  private KaskadeContext contextFor(ComponentFactory factory, KaskadeContext shared) {
    if (secure == null) {
      return shared;
    }
    Map<String, String> settings = new java.util.HashMap<>(shared.settings());
    settings.putAll(secure.settingsFor(factory.componentName()));
    return new KaskadeContext(
        shared.bootstrapServers(),
        shared.registry(),
        shared.topics(),
        shared.topicSettings(),
        shared.provisioner(),
        shared.dataDir(),
        settings);
  }

  private void start(KaskadeComponent component) {
    try {
      component.start();
    } catch (Exception e) {
      component.close();
      throw new CliException("cannot start " + component.name() + ": " + e.getMessage());
    }
    components.add(component);
    LOG.info("started {} after {}", component.name(), sinceStart());
  }

  /** Seconds since this launcher was made, for the start-up log lines (where the time goes). */
  private String sinceStart() {
    return String.format(java.util.Locale.ROOT, "%.2f s", (System.nanoTime() - startedNanos) / 1e9);
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
