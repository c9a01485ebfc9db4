package dev.kaskade.gateway.testing;

import dev.kaskade.kafka.embedded.SharedKafka;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One broker plus registry for a test: the shared broker with the real embedded registry (one per
 * JVM), or any broker with a given registry client. Each test class uses its own topic prefix, so
 * its control topics and model topics are its own.
 */
public final class Cluster implements AutoCloseable {
  private static SchemaRegistryServer sharedRegistryServer;
  private static SchemaRegistryClient sharedRegistry;

  private final String bootstrap;
  private final SchemaRegistryClient registry;
  private final Topics topics;
  private final Admin admin;
  private final TopicProvisioner provisioner;

  public Cluster(String bootstrap, SchemaRegistryClient registry) {
    this.bootstrap = bootstrap;
    this.registry = registry;
    this.topics = new Topics("gw" + UUID.randomUUID().toString().substring(0, 6));
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    this.provisioner = new TopicProvisioner(admin, registry, (short) 1);
  }

  /** The shared broker with the real embedded schema registry. */
  public static Cluster shared() {
    return new Cluster(SharedKafka.get().bootstrapServers(), sharedRegistry());
  }

  private static synchronized SchemaRegistryClient sharedRegistry() {
    if (sharedRegistry == null) {
      sharedRegistryServer =
          new SchemaRegistryServer(
                  SchemaRegistryServer.Options.defaults(SharedKafka.get().bootstrapServers())
                      .withTopic("_schemas-gateway-it"))
              .start();
      sharedRegistry = new HttpSchemaRegistryClient(sharedRegistryServer.url());
    }
    return sharedRegistry;
  }

  public String bootstrap() {
    return bootstrap;
  }

  public SchemaRegistryClient registry() {
    return registry;
  }

  public Topics topics() {
    return topics;
  }

  public TopicProvisioner provisioner() {
    return provisioner;
  }

  public KaskadeContext context(Path dataDir, Map<String, String> settings) {
    return new KaskadeContext(
        bootstrap, registry, topics, TopicSettings.standalone(), provisioner, dataDir, settings);
  }

  /** Creates the topics of an InferenceService revision (as the control plane would). */
  public void createModelTopics(String ns, String name, String... revisions) {
    var specs = new dev.kaskade.schemas.topic.TopicSpecs(topics, TopicSettings.standalone());
    for (String revision : revisions) {
      provisioner.ensure(specs.inferenceServiceTopics(ns, name, revision));
    }
  }

  /** Creates the topics of an InferenceGraph. */
  public void createGraphTopics(String ns, String name) {
    var specs = new dev.kaskade.schemas.topic.TopicSpecs(topics, TopicSettings.standalone());
    provisioner.ensure(specs.graphTopics(ns, name));
  }

  public void createPlatformTopics() {
    var specs = new dev.kaskade.schemas.topic.TopicSpecs(topics, TopicSettings.standalone());
    provisioner.ensure(specs.platformTopics());
  }

  @Override
  public void close() {
    admin.close();
  }
}
