package dev.kaskade.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.kafka.embedded.BrokerSecrets;
import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClientConfig;
import dev.kaskade.schemas.registry.SchemaRegistryClientConfig.BasicAuth;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured embedded broker ({@code kaskade up --secure}): SASL_SSL only, one SCRAM principal per
 * component with the {@link AclLayout} ACLs, namespace isolation between two tenants, and the
 * registry behind basic auth.
 */
class SecureKafkaIT {
  private static final Topics TOPICS = Topics.withDefaultPrefix();
  private static final String A_TOPIC = TOPICS.requests("team-a", "iris");
  private static final String B_TOPIC = TOPICS.requests("team-b", "iris");

  @TempDir static Path dir;
  private static BrokerSecrets secrets;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    List<String> users = new ArrayList<>(AclLayout.COMPONENTS);
    users.addAll(List.of("tenant-a", "tenant-b"));
    secrets = BrokerSecrets.loadOrCreate(dir.resolve("secrets"), users);
    kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(dir.resolve("kafka")).secured(secrets));
    AclLayout layout = new AclLayout(TOPICS);
    List<AclBinding> acls = new ArrayList<>();
    layout.components().values().forEach(acls::addAll);
    acls.addAll(layout.tenant("tenant-a", "team-a"));
    acls.addAll(layout.tenant("tenant-b", "team-b"));
    try (Admin admin = Admin.create(config(BrokerSecrets.ADMIN))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(A_TOPIC, 1, (short) 1),
                  new NewTopic(B_TOPIC, 1, (short) 1),
                  new NewTopic(TOPICS.auditPayloads(), 1, (short) 1),
                  new NewTopic(TOPICS.controlResources(), 1, (short) 1),
                  new NewTopic(TOPICS.generationCancel(), 1, (short) 1),
                  new NewTopic(TOPICS.auditAnchors(), 1, (short) 1),
                  new NewTopic(TOPICS.payloadLoggerAnchor(), 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (admin.describeAcls(AclBindingFilter.ANY).values().get().size() < acls.size()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void plaintextClientIsRefused() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("default.api.timeout.ms", 3000);
    config.put("request.timeout.ms", 2000);
    try (Admin admin = Admin.create(config)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS))
          .isInstanceOfAny(Exception.class);
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    Map<String, Object> config = config(AclLayout.GATEWAY);
    config.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"kaskade-gateway\" password=\"guess\";");
    try (Admin admin = Admin.create(config)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void gatewayWritesRequestsAndCancelsButNotSchemasControlResourcesOrAuditAndCannotReadAudit()
      throws Exception {
    assertThat(canProduce(AclLayout.GATEWAY, A_TOPIC)).isTrue();
    assertThat(canProduce(AclLayout.GATEWAY, TOPICS.schemas())).isFalse();
    assertThat(canProduce(AclLayout.GATEWAY, TOPICS.controlResources())).isFalse();
    assertThat(canProduce(AclLayout.GATEWAY, TOPICS.generationCancel())).isTrue();
    assertThat(canProduce(AclLayout.GATEWAY, TOPICS.auditPayloads())).isFalse();
    assertThat(canRead(AclLayout.GATEWAY, TOPICS.auditPayloads())).isFalse();
    assertThat(canProduce(AclLayout.GATEWAY, TOPICS.payloadLoggerAnchor())).isFalse();
  }

  @Test
  void onlyTheProcessorsWriteThePayloadLoggersAnchor() throws Exception {
    assertThat(canProduce(AclLayout.WORKER, TOPICS.payloadLoggerAnchor())).isFalse();
    assertThat(canProduce("tenant-a", TOPICS.payloadLoggerAnchor())).isFalse();
    assertThat(canRead(AclLayout.PROCESSORS, TOPICS.payloadLoggerAnchor())).isTrue();
  }

  @Test
  void auditSinkReadsAuditButCannotReadRequestsOrWriteControl() throws Exception {
    assertThat(canRead(AclLayout.AUDIT_SINK, TOPICS.auditPayloads())).isTrue();
    assertThat(canRead(AclLayout.AUDIT_SINK, A_TOPIC)).isFalse();
    assertThat(canProduce(AclLayout.AUDIT_SINK, TOPICS.controlResources())).isFalse();
    assertThat(canProduce(AclLayout.AUDIT_SINK, TOPICS.auditAnchors())).isTrue();
  }

  @Test
  void onlyTheReconcilerWritesTheControlTopic() throws Exception {
    assertThat(canProduce(AclLayout.RECONCILER, TOPICS.controlResources())).isTrue();
    assertThat(canProduce(AclLayout.WORKER, TOPICS.controlResources())).isFalse();
    assertThat(canProduce(AclLayout.PROCESSORS, TOPICS.controlResources())).isFalse();
  }

  @Test
  void tenantReachesOnlyItsOwnNamespace() throws Exception {
    assertThat(canProduce("tenant-a", A_TOPIC)).isTrue();
    assertThat(canRead("tenant-a", A_TOPIC)).isTrue();
    assertThat(canProduce("tenant-a", B_TOPIC)).as("a writes b").isFalse();
    assertThat(canRead("tenant-a", B_TOPIC)).as("a reads b").isFalse();
    assertThat(canRead("tenant-b", A_TOPIC)).as("b reads a").isFalse();
    assertThat(canRead("tenant-a", TOPICS.auditPayloads())).isFalse();
    assertThat(canProduce("tenant-a", TOPICS.controlResources())).isFalse();
  }

  @Test
  void registryStoresOverTheSecuredBrokerAndRequiresBasicAuth() throws Exception {
    BasicAuth auth = new BasicAuth("kaskade", "s3cret");
    try (SchemaRegistryServer registry =
            new SchemaRegistryServer(
                    SchemaRegistryServer.Options.defaults(kafka.bootstrapServers())
                        .withKafkaSecurity(
                            new KafkaSecurity(secrets.clientProperties(AclLayout.REGISTRY)))
                        .withBasicAuth(auth))
                .start();
        HttpSchemaRegistryClient client =
            new HttpSchemaRegistryClient(
                SchemaRegistryClientConfig.of(registry.url()).withBasicAuth(auth))) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> anonymous =
          http.send(
              HttpRequest.newBuilder(URI.create(registry.url() + "/subjects")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);

      int id = client.register("secure-value", Schema.create(Schema.Type.STRING));
      assertThat(id).isPositive();
    }
  }

  @Test
  void secretsArePrivateAndReusedOnRestart() throws Exception {
    Path dirOf = secrets.dir();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dirOf)))
        .isEqualTo("rwx------");
    for (Path file : List.of(secrets.caFile(), secrets.keystoreFile())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    BrokerSecrets again = BrokerSecrets.loadOrCreate(dirOf, AclLayout.COMPONENTS);
    assertThat(again.password(AclLayout.GATEWAY)).isEqualTo(secrets.password(AclLayout.GATEWAY));
    assertThat(Files.readString(again.caFile())).isEqualTo(Files.readString(secrets.caFile()));
  }

  private static Map<String, Object> config(String user) {
    Map<String, Object> config = new HashMap<>(secrets.clientProperties(user));
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("request.timeout.ms", 10000);
    config.put("default.api.timeout.ms", 15000);
    return config;
  }

  private static boolean canProduce(String user, String topic) throws Exception {
    Map<String, Object> config =
        ClientConfigs.producer(
            new KafkaConnection(
                kafka.bootstrapServers(), new KafkaSecurity(secrets.clientProperties(user))),
            1 << 20);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(topic, "k", new byte[] {1})).get(15, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      if (hasCause(e, TopicAuthorizationException.class)
          || hasCause(e, org.apache.kafka.common.errors.ClusterAuthorizationException.class)) {
        return false;
      }
      throw e;
    }
  }

  private static boolean canRead(String user, String topic) {
    Map<String, Object> config =
        ClientConfigs.consumer(
            new KafkaConnection(
                kafka.bootstrapServers(), new KafkaSecurity(secrets.clientProperties(user))),
            null,
            1 << 20);
    config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
      consumer.poll(Duration.ofSeconds(2));
      consumer.position(new TopicPartition(topic, 0));
      return true;
    } catch (TopicAuthorizationException e) {
      return false;
    }
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
