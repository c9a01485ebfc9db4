package dev.kaskade.sink;

import dev.kaskade.kafka.embedded.SharedKafka;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;

/** A shared broker, the embedded registry and a fresh topic prefix for one test class. */
public final class KafkaTestBed implements AutoCloseable {
  public final String bootstrap = SharedKafka.get().bootstrapServers();
  public final Topics topics = new Topics("it" + UUID.randomUUID().toString().substring(0, 8));
  public final SchemaRegistryClient registry = registry();
  public final TopicSettings settings = TopicSettings.standalone();
  public final Admin admin =
      Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  public final TopicProvisioner provisioner = new TopicProvisioner(admin, registry, (short) 1);

  static {
    AvroTrust.install();
  }

  private static SchemaRegistryServer server;
  private static SchemaRegistryClient client;

  /**
   * The embedded, Kafka-backed registry on the shared broker (one per test JVM, own store topic).
   */
  static synchronized SchemaRegistryClient registry() {
    if (client == null) {
      server =
          new SchemaRegistryServer(
                  SchemaRegistryServer.Options.defaults(SharedKafka.get().bootstrapServers())
                      .withTopic("_schemas_sink_it"))
              .start();
      client = new HttpSchemaRegistryClient(server.url());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sink-registry-stop"));
    }
    return client;
  }

  public KaskadeContext context(Path dataDir, Map<String, String> componentSettings) {
    return new KaskadeContext(
        bootstrap, registry, topics, settings, provisioner, dataDir, componentSettings);
  }

  public KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(ClientConfigs.producer(bootstrap, settings.maxMessageBytes()));
  }

  @Override
  public void close() {
    admin.close();
  }
}
