package dev.kaskade.cli;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.KafkaSecurity;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClientConfig;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.runtime.Settings;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicReplication;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs components against an existing Kafka cluster and schema registry (the container entry point
 * of the Helm chart and of the Deployments the reconciler creates). Every setting of every
 * component may come from an environment variable {@code KASKADE_<KEY>} in environment form (see
 * {@code Settings}), or from {@code --set key=value}.
 */
abstract class ClusterCommand implements Runnable {
  static final String ENV_PREFIX = "KASKADE_";

  @Mixin DataDirOption dataDir;

  @Option(
      names = {"--kafka", "--bootstrap-servers"},
      paramLabel = "BOOTSTRAP",
      defaultValue = "${env:KASKADE_BOOTSTRAP_SERVERS}",
      description = "Kafka bootstrap servers (env KASKADE_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(
      names = {"--registry", "--registry-url"},
      paramLabel = "URL",
      defaultValue = "${env:KASKADE_SCHEMA_REGISTRY_URL}",
      description = "Confluent-compatible schema registry URL (env KASKADE_SCHEMA_REGISTRY_URL).")
  String registryUrl;

  @Option(
      names = "--topic-prefix",
      defaultValue = "${env:KASKADE_TOPIC_PREFIX:-kaskade}",
      description = "Topic name prefix (env KASKADE_TOPIC_PREFIX).")
  String topicPrefix;

  @Mixin ReplicationOptions replication;

  @Option(
      names = "--partitions",
      defaultValue = "${env:KASKADE_PARTITIONS:-2}",
      description = "Partitions of data topics Kaskade creates (env KASKADE_PARTITIONS).")
  int partitions;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      defaultValue = "${env:KASKADE_KAFKA_CONFIG}",
      description =
          "Kafka client properties file: its security.protocol, sasl.* and ssl.* settings apply to"
              + " every Kafka client (env KASKADE_KAFKA_CONFIG; KASKADE_KAFKA_<KEY> variables win"
              + " over it).")
  String kafkaConfig;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A component setting.")
  Map<String, String> sets = new HashMap<>();

  /** The components this command runs, not yet started. */
  abstract List<KaskadeComponent> components(KaskadeContext context);

  /** Settings this command adds from its own options. */
  Map<String, String> commandSettings() {
    return Map.of();
  }

  @Override
  public void run() {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new CliException("set --kafka (--bootstrap-servers) or KASKADE_BOOTSTRAP_SERVERS", 2);
    }
    if (registryUrl == null || registryUrl.isBlank()) {
      throw new CliException("set --registry (--registry-url) or KASKADE_SCHEMA_REGISTRY_URL", 2);
    }
    KafkaSecurity security = KafkaSecurity.fromSettings(Settings.of(settings()));
    try (Admin admin =
            Admin.create(ClientConfigs.admin(new KafkaConnection(bootstrapServers, security)));
        HttpSchemaRegistryClient registry =
            new HttpSchemaRegistryClient(
                SchemaRegistryClientConfig.fromSettings(registrySettings()))) {
      TopicReplication topicReplication = replication.resolve(admin);
      TopicSettings standalone = TopicSettings.standalone();
      TopicSettings topicSettings =
          new TopicSettings(
              partitions,
              topicReplication.replicationFactor(),
              standalone.maxMessageBytes(),
              standalone.retentionMs(),
              standalone.replyRetentionMs(),
              standalone.compactedSegmentMs());
      KaskadeContext context =
          new KaskadeContext(
              bootstrapServers,
              registry,
              new Topics(topicPrefix),
              topicSettings,
              new TopicProvisioner(admin, registry, topicReplication),
              dataDir.dataDir(),
              settings());
      // Every component may be the first one started on a cluster: none waits for another to
      // create the platform topics (idempotent).
      context.provisioner().ensure(context.topicSpecs().platformTopics());
      serve(components(context));
    }
  }

  /**
   * Registry client settings: the Kafka client properties file may carry them too (Confluent's
   * {@code basic.auth.user.info}, as in Confluent Cloud's client.properties), then the settings.
   */
  private Map<String, String> registrySettings() {
    Map<String, String> settings = new HashMap<>(registryKeysOf(kafkaConfig));
    settings.putAll(settings());
    Settings all = Settings.of(settings());
    for (String key :
        List.of(
            SchemaRegistryClientConfig.USER_INFO_KEY,
            SchemaRegistryClientConfig.TRUSTSTORE_LOCATION_KEY,
            SchemaRegistryClientConfig.TRUSTSTORE_PASSWORD_KEY,
            SchemaRegistryClientConfig.TRUSTSTORE_TYPE_KEY)) {
      if (all.get(key) != null) {
        settings.put(key, all.get(key));
      }
    }
    settings.put("schema.registry.url", registryUrl);
    return settings;
  }

  private static Map<String, String> registryKeysOf(String kafkaConfigFile) {
    Map<String, String> keys = new HashMap<>();
    if (kafkaConfigFile == null || kafkaConfigFile.isBlank()) {
      return keys;
    }
    java.util.Properties props = new java.util.Properties();
    try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(kafkaConfigFile))) {
      props.load(in);
    } catch (java.io.IOException e) {
      throw new CliException(
          "cannot read --kafka-config " + kafkaConfigFile + ": " + e.getMessage());
    }
    String userInfo = props.getProperty(SchemaRegistryClientConfig.USER_INFO_KEY);
    if (userInfo != null) {
      keys.put(SchemaRegistryClientConfig.USER_INFO_KEY, userInfo);
    }
    return keys;
  }

  /** Environment settings (KASKADE_ prefix stripped), then the command's, then --set. */
  private Map<String, String> settings() {
    Map<String, String> settings = environmentSettings();
    if (kafkaConfig != null && !kafkaConfig.isBlank()) {
      settings.put(KafkaSecurity.FILE_SETTING, kafkaConfig);
    }
    settings.putAll(commandSettings());
    settings.putAll(sets);
    return settings;
  }

  /**
   * Every {@code KASKADE_<KEY>} environment variable as setting {@code <KEY>} (matched to its
   * dotted key by {@code Settings}); {@code kaskade up} reads the same.
   */
  static Map<String, String> environmentSettings() {
    Map<String, String> settings = new HashMap<>();
    System.getenv()
        .forEach(
            (name, value) -> {
              if (name.startsWith(ENV_PREFIX)) {
                settings.put(name.substring(ENV_PREFIX.length()), value);
              }
            });
    return settings;
  }

  private static void serve(List<KaskadeComponent> components) {
    List<KaskadeComponent> started = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (int i = started.size() - 1; i >= 0; i--) {
                    started.get(i).close();
                  }
                  stopped.countDown();
                },
                "kaskade-shutdown"));
    for (KaskadeComponent component : components) {
      try {
        component.start();
      } catch (Exception e) {
        throw new CliException("cannot start " + component.name() + ": " + e.getMessage());
      }
      started.add(component);
      component.endpoints().forEach(e -> System.out.println("  " + e));
    }
    System.out.println(UpCommand.READY_LINE);
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
