package dev.kaskade.processors.testing;

import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.SharedKafka;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The shared broker plus one embedded schema registry per test JVM, and contexts over them. */
public final class ItEnvironment {
  private static SchemaRegistryServer server;
  private static SchemaRegistryClient registry;
  private static Admin admin;

  private ItEnvironment() {}

  public static synchronized SchemaRegistryClient registry() {
    if (registry == null) {
      EmbeddedKafka kafka = SharedKafka.get();
      server = SchemaRegistryServer.start(kafka.bootstrapServers(), 0);
      registry = new HttpSchemaRegistryClient(server.url());
      admin =
          Admin.create(
              Map.<String, Object>of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    admin.close();
                    server.close();
                  }));
    }
    return registry;
  }

  public static String bootstrap() {
    return SharedKafka.get().bootstrapServers();
  }

  /** A context with its own topic prefix, so tests never share topics. */
  public static KaskadeContext context(String prefix, Map<String, String> settings)
      throws Exception {
    SchemaRegistryClient client = registry();
    Path dir = Files.createTempDirectory("kaskade-sp-it");
    return new KaskadeContext(
        bootstrap(),
        client,
        new Topics(prefix),
        TopicSettings.standalone(),
        new TopicProvisioner(admin, client, (short) 1),
        dir,
        settings);
  }
}
