package dev.kaskade.cli;

import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicReplication;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A {@link KaskadeContext} for a command that talks to the instance {@code up} runs. */
final class InstanceConnection implements AutoCloseable {
  private final Admin admin;
  private final HttpSchemaRegistryClient registry;
  private final KaskadeContext context;

  private InstanceConnection(InstanceFile instance, Path dataDir, Map<String, String> settings) {
    admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, instance.bootstrapServers()));
    // The instance may run on an existing cluster (up --kafka): fit its broker count.
    TopicReplication replication = TopicReplication.forBrokers(TopicProvisioner.brokerCount(admin));
    TopicSettings topicSettings =
        TopicSettings.standalone().withReplicationFactor(replication.replicationFactor());
    registry = new HttpSchemaRegistryClient(instance.registryUrl());
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
