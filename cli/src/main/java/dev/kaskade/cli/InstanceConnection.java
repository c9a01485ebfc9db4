package dev.kaskade.cli;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.KafkaSecurity;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClientConfig;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicReplication;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

/** A {@link KaskadeContext} for a command that talks to the instance {@code up} runs. */
final class InstanceConnection implements AutoCloseable {
  private final Admin admin;
  private final HttpSchemaRegistryClient registry;
  private final KaskadeContext context;

  private InstanceConnection(InstanceFile instance, Path dataDir, Map<String, String> settings) {
    Map<String, String> withSecurity = new HashMap<>(settings);
    Path clientFile = SecureStandalone.clientFileOf(dataDir);
    if (clientFile != null) {
      withSecurity.putIfAbsent(KafkaSecurity.FILE_SETTING, clientFile.toString());
    }
    settings = withSecurity;
    admin =
        Admin.create(
            ClientConfigs.admin(
                new KafkaConnection(
                    instance.bootstrapServers(), KafkaSecurity.fromSettings(settings))));
    // The instance may run on an existing cluster (up --kafka): fit its broker count.
    TopicReplication replication = TopicReplication.forBrokers(TopicProvisioner.brokerCount(admin));
    TopicSettings topicSettings =
        TopicSettings.standalone().withReplicationFactor(replication.replicationFactor());
    registry = registryClient(instance, dataDir);
    context =
        new KaskadeContext(
            instance.bootstrapServers(),
            registry,
            Topics.withDefaultPrefix(),
            topicSettings,
            new TopicProvisioner(admin, registry, replication),
            dataDir,
            settings);
  }

  /**
   * The registry client of the instance: with the basic-auth credentials of {@value
   * SecureStandalone#CLIENT_FILE} when the instance is secured.
   */
  static HttpSchemaRegistryClient registryClient(InstanceFile instance, Path dataDir) {
    Path clientFile = SecureStandalone.clientFileOf(dataDir);
    if (clientFile == null) {
      return new HttpSchemaRegistryClient(instance.registryUrl());
    }
    Properties props = new Properties();
    try (var in = java.nio.file.Files.newInputStream(clientFile)) {
      props.load(in);
    } catch (java.io.IOException e) {
      throw new CliException("cannot read " + clientFile + ": " + e.getMessage());
    }
    Map<String, String> registrySettings = new HashMap<>();
    props.stringPropertyNames().forEach(key -> registrySettings.put(key, props.getProperty(key)));
    registrySettings.put(SchemaRegistryClientConfig.URL_KEY, instance.registryUrl());
    return new HttpSchemaRegistryClient(SchemaRegistryClientConfig.fromSettings(registrySettings));
  }

  /**
   * Kafka access of the instance: its security settings come from {@value
   * SecureStandalone#CLIENT_FILE} when it is secured.
   */
  static KafkaConnection kafka(InstanceFile instance, Path dataDir) {
    Path clientFile = SecureStandalone.clientFileOf(dataDir);
    return new KafkaConnection(
        instance.bootstrapServers(),
        clientFile == null ? KafkaSecurity.none() : KafkaSecurity.fromFile(clientFile));
  }

  /** Connects to the instance of the data dir, or fails with a message saying how to start one. */
  static InstanceConnection open(Path dataDir, Map<String, String> settings) {
    return new InstanceConnection(InstanceFile.read(dataDir), dataDir, settings);
  }

  KaskadeContext context() {
    return context;
  }

  @Override
  public void close() {
    admin.close();
    registry.close();
  }
}
