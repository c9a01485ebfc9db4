package dev.kaskade.cli;

import dev.kaskade.kafka.embedded.BrokerSecrets;
import dev.kaskade.schemas.kafka.AclLayout;
import dev.kaskade.schemas.kafka.KafkaSecurity;
import dev.kaskade.schemas.registry.SchemaRegistryClientConfig;
import dev.kaskade.schemas.registry.SchemaRegistryClientConfig.BasicAuth;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kaskade up --secure}: the secrets under {@code <data-dir>/secrets/} (CA, broker keystore,
 * one SCRAM principal per component, the registry's basic-auth password), one Kafka client
 * properties file per component principal there, {@value #CLIENT_FILE} for outside clients and the
 * other CLI commands (the admin principal plus the registry's URL and credentials), and the
 * components' ACLs ({@link AclLayout}).
 */
final class SecureStandalone {
  private static final Logger LOG = LoggerFactory.getLogger(SecureStandalone.class);
  static final String SECRETS_DIR = "secrets";
  static final String CLIENT_FILE = "client.properties";
  static final String REGISTRY_USER = "kaskade";
  private static final String REGISTRY_SECRET = "schema-registry";

  /** Which principal each standalone component logs in as (by ComponentFactory#componentName). */
  private static final Map<String, String> PRINCIPALS =
      Map.of(
          "control-plane", AclLayout.RECONCILER,
          "model-workers", AclLayout.WORKER,
          "dispatcher", AclLayout.WORKER,
          "stream-processors", AclLayout.PROCESSORS,
          "payload-logger", AclLayout.PROCESSORS,
          "audit-sink", AclLayout.AUDIT_SINK,
          "gateway", AclLayout.GATEWAY);

  private final BrokerSecrets secrets;

  private SecureStandalone(BrokerSecrets secrets) {
    this.secrets = secrets;
  }

  /** Loads the secrets of the data dir, creating what is missing. */
  static SecureStandalone prepare(Path dataDir) {
    BrokerSecrets secrets =
        BrokerSecrets.loadOrCreate(
            secretsDir(dataDir), AclLayout.COMPONENTS, java.util.List.of(REGISTRY_SECRET));
    for (String principal : AclLayout.COMPONENTS) {
      secrets.writeClientProperties(principal, principal + ".properties", Map.of());
    }
    return new SecureStandalone(secrets);
  }

  static Path secretsDir(Path dataDir) {
    return dataDir.resolve(SECRETS_DIR);
  }

  BrokerSecrets secrets() {
    return secrets;
  }

  BasicAuth registryAuth() {
    return new BasicAuth(REGISTRY_USER, secrets.secret(REGISTRY_SECRET));
  }

  KafkaSecurity admin() {
    return new KafkaSecurity(secrets.clientProperties(BrokerSecrets.ADMIN));
  }

  KafkaSecurity principal(String principal) {
    return new KafkaSecurity(secrets.clientProperties(principal));
  }

  /**
   * Settings that make a component log in as its own principal: its properties file as {@code
   * kafka.config}. A component this class does not know (added later) runs as the admin, with a
   * warning, rather than not at all.
   */
  Map<String, String> settingsFor(String componentName) {
    String principal = PRINCIPALS.get(componentName);
    if (principal == null) {
      LOG.warn("no Kafka principal for component {}; it runs as the admin", componentName);
      return Map.of(KafkaSecurity.FILE_SETTING, clientFile().toString());
    }
    return Map.of(
        KafkaSecurity.FILE_SETTING, secrets.dir().resolve(principal + ".properties").toString());
  }

  /** Writes {@value #CLIENT_FILE}: the admin principal and the registry's URL and credentials. */
  void writeClientFile(String registryUrl) {
    BasicAuth auth = registryAuth();
    secrets.writeClientProperties(
        BrokerSecrets.ADMIN,
        CLIENT_FILE,
        Map.of(
            SchemaRegistryClientConfig.URL_KEY,
            registryUrl,
            "basic.auth.credentials.source",
            "USER_INFO",
            SchemaRegistryClientConfig.USER_INFO_KEY,
            auth.user() + ":" + auth.password()));
  }

  Path clientFile() {
    return secrets.dir().resolve(CLIENT_FILE);
  }

  /** Creates the components' ACLs (idempotent: Kafka keeps one copy of each binding). */
  void applyAcls(Admin admin, Topics topics) {
    var bindings =
        new AclLayout(topics)
            .components().values().stream().flatMap(java.util.List::stream).toList();
    try {
      admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
      // The broker's authorizer learns them from the metadata log: wait, so that no component
      // starts before its rights exist.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (admin.describeAcls(AclBindingFilter.ANY).values().get().size() < bindings.size()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while creating the Kafka ACLs");
    } catch (Exception e) {
      throw new CliException("cannot create the Kafka ACLs: " + e.getMessage());
    }
  }

  /**
   * The Kafka security and registry credentials other commands use against a secured instance of
   * this data dir ({@value #CLIENT_FILE}), or null when it is not secured.
   */
  static Path clientFileOf(Path dataDir) {
    Path file = secretsDir(dataDir).resolve(CLIENT_FILE);
    return Files.exists(file) ? file : null;
  }
}
