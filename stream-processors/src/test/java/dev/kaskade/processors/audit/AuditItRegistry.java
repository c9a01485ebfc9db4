package dev.kaskade.processors.audit;

import dev.kaskade.kafka.embedded.SharedKafka;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;

/**
 * The embedded, Kafka-backed schema registry for the audit ITs, on the shared broker. It keeps its
 * schemas in its own store topic so that it never races another registry of this test JVM.
 */
final class AuditItRegistry {
  private static SchemaRegistryServer server;
  private static SchemaRegistryClient client;

  private AuditItRegistry() {}

  static synchronized SchemaRegistryClient get() {
    if (client == null) {
      server =
          new SchemaRegistryServer(
                  SchemaRegistryServer.Options.defaults(SharedKafka.get().bootstrapServers())
                      .withTopic("_schemas_audit_it"))
              .start();
      client = new HttpSchemaRegistryClient(server.url());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "audit-registry-stop"));
    }
    return client;
  }
}
