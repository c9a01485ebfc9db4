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
import java.util.HashMap;
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

  private final StandaloneOptions options;
  private final PrintStream out;
  private final List<KaskadeComponent> components = new ArrayList<>();
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
                Map.of()));
    endpoints.add("Kafka            " + kafka.bootstrapServers());
    registryServer = SchemaRegistryServer.start(kafka.bootstrapServers(), options.registryPort());
    endpoints.add("Schema registry  " + registryServer.url());
    registry = new HttpSchemaRegistryClient(registryServer.url());
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
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

  private Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("gateway.http.port", Integer.toString(options.httpPort()));
    settings.put("gateway.grpc.port", Integer.toString(options.grpcPort()));
    List<Path> manifests = new ArrayList<>(options.manifests());
    if (options.demo()) {
      manifests.add(0, DemoModel.manifestDir(options.dataDir()));
    }
    settings.put(
        "control.manifests",
        manifests.stream().map(Path::toString).collect(Collectors.joining(",")));
    return settings;
  }

  private void startComponents(KaskadeContext context) {
    List<ComponentFactory> factories = new ArrayList<>();
    ServiceLoader.load(ComponentFactory.class).forEach(factories::add);
    factories.sort(Comparator.comparingInt(ComponentFactory::order));
    for (ComponentFactory factory : factories) {
      KaskadeComponent component = factory.create(context);
      try {
        component.start();
      } catch (Exception e) {
        throw new CliException("cannot start " + component.name() + ": " + e.getMessage());
      }
      components.add(component);
      endpoints.addAll(component.endpoints());
      LOG.info("started {}", component.name());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    InstanceFile.delete(options.dataDir());
    for (int i = components.size() - 1; i >= 0; i--) {
      closeQuietly(components.get(i)::close, components.get(i).name());
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
