package dev.kaskade.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.kafka.embedded.SharedKafka;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.testing.RegistryFixtures;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * Topics come out of the provisioner with their configs and with schemas already registered (or,
 * from {@code ensureTopics}, registered by the time {@code awaitSchemas} returns).
 */
class TopicProvisionerIT {

  @Test
  void createsTopicsWithTheirConfigsAndRegistersValueSchemasBeforeAnyRecord() throws Exception {
    Topics topics = new Topics("prov" + UUID.randomUUID().toString().substring(0, 6));
    TopicSettings settings = TopicSettings.standalone();
    TopicSpecs specs = new TopicSpecs(topics, settings);
    List<TopicSpec> wanted = new ArrayList<>(specs.platformTopics());
    wanted.addAll(specs.inferenceServiceTopics("team-a", "iris", "iris-predictor-0000abcd"));
    wanted.add(specs.deadLetter("it"));

    try (SchemaRegistryServer server = RegistryFixtures.startRegistry();
        var registry = new HttpSchemaRegistryClient(server.url());
        Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    SharedKafka.get().bootstrapServers()))) {
      TopicProvisioner provisioner =
          new TopicProvisioner(admin, registry, settings.replicationFactor());
      provisioner.ensure(wanted);
      provisioner.ensure(wanted); // idempotent

      Map<String, Config> configs = describe(admin, wanted);
      for (String compacted : List.of(topics.controlResources(), topics.controlStatus())) {
        assertThat(configs.get(compacted).get("cleanup.policy").value())
            .as(compacted)
            .isEqualTo("compact");
      }
      for (TopicSpec spec : wanted) {
        assertThat(configs.get(spec.name()).get("max.message.bytes").value())
            .as(spec.name())
            .isEqualTo(Integer.toString(settings.maxMessageBytes()));
      }
      assertThat(configs.get(topics.requests("team-a", "iris")).get("cleanup.policy").value())
          .isEqualTo("delete");
      assertThat(TopicProvisioner.brokerCount(admin)).isOne();
      for (TopicSpec spec : wanted) {
        assertThat(configs.get(spec.name()).get("min.insync.replicas").value())
            .as("min.insync.replicas of %s follows the replication, not the spec", spec.name())
            .isEqualTo("1");
      }

      for (TopicSpec spec : wanted) {
        var latest =
            RegistryFixtures.get(
                server.url() + "/subjects/" + spec.name() + "-value/versions/latest");
        if (spec.valueSchema() == null) {
          assertThat(latest.status()).as(spec.name()).isEqualTo(404);
        } else {
          assertThat(latest.status()).as(spec.name()).isEqualTo(200);
          assertThat(latest.body().path("schema").asText())
              .contains("\"name\":\"" + spec.valueSchema().getName() + "\"");
        }
      }
    }
  }

  @Test
  void ensureTopicsReturnsWithTheTopicsAndAwaitSchemasWithTheirSchemas() throws Exception {
    Topics topics = new Topics("late" + UUID.randomUUID().toString().substring(0, 6));
    TopicSettings settings = TopicSettings.standalone();
    List<TopicSpec> wanted =
        new TopicSpecs(topics, settings)
            .inferenceServiceTopics("team-a", "iris", "iris-predictor-0000abcd");

    try (SchemaRegistryServer server = RegistryFixtures.startRegistry();
        var registry = new HttpSchemaRegistryClient(server.url());
        Admin admin = admin()) {
      TopicProvisioner provisioner =
          new TopicProvisioner(admin, registry, settings.replicationFactor());
      provisioner.ensureTopics(wanted);

      assertThat(admin.listTopics().names().get())
          .containsAll(wanted.stream().map(TopicSpec::name).toList());
      provisioner.awaitSchemas();
      for (TopicSpec spec : wanted) {
        assertThat(subjectStatus(server, spec)).as(spec.name()).isEqualTo(200);
      }
    }
  }

  @Test
  void aFailedRegistrationFailsTheWaitAndTheNextEnsureRegistersAgain() throws Exception {
    Topics topics = new Topics("flaky" + UUID.randomUUID().toString().substring(0, 6));
    TopicSettings settings = TopicSettings.standalone();
    TopicSpec requests =
        new TopicSpecs(topics, settings)
            .inferenceServiceTopics("team-a", "iris", "iris-predictor-0000abcd").stream()
                .filter(s -> s.name().equals(topics.requests("team-a", "iris")))
                .findFirst()
                .orElseThrow();

    try (SchemaRegistryServer server = RegistryFixtures.startRegistry();
        var registry = new HttpSchemaRegistryClient(server.url());
        Admin admin = admin()) {
      AtomicInteger failuresLeft = new AtomicInteger(1);
      TopicProvisioner provisioner =
          new TopicProvisioner(
              admin, failingFirst(registry, failuresLeft), settings.replicationFactor());
      provisioner.ensureTopics(List.of(requests));

      assertThatThrownBy(provisioner::awaitSchemas).hasMessageContaining("registry unreachable");
      assertThat(subjectStatus(server, requests)).isEqualTo(404);

      provisioner.ensure(List.of(requests));
      assertThat(subjectStatus(server, requests)).isEqualTo(200);
      provisioner.awaitSchemas(); // the failure was replaced by the successful registration
    }
  }

  /** The registry, except that its first {@code failures} registrations throw. */
  private static SchemaRegistryClient failingFirst(
      SchemaRegistryClient registry, AtomicInteger failures) {
    return (SchemaRegistryClient)
        Proxy.newProxyInstance(
            SchemaRegistryClient.class.getClassLoader(),
            new Class<?>[] {SchemaRegistryClient.class},
            (proxy, method, args) -> {
              if (method.getName().equals("register") && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("registry unreachable");
              }
              try {
                return method.invoke(registry, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static int subjectStatus(SchemaRegistryServer server, TopicSpec spec) throws Exception {
    return RegistryFixtures.get(
            server.url() + "/subjects/" + spec.name() + "-value/versions/latest")
        .status();
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.get().bootstrapServers()));
  }

  private static Map<String, Config> describe(Admin admin, List<TopicSpec> specs) throws Exception {
    List<ConfigResource> resources =
        specs.stream().map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
    Map<ConfigResource, Config> described =
        admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
    Map<String, Config> byName = new java.util.HashMap<>();
    described.forEach((resource, config) -> byName.put(resource.name(), config));
    return byName;
  }
}
