package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kaskade up --kafka BOOTSTRAP} on a broker this test started: no broker of its own, the
 * embedded registry and every topic on that cluster, and the demo model answers.
 */
class ExistingKafkaIT {
  private static final Duration WAIT = Duration.ofMinutes(3);

  @TempDir Path workDir;

  @Test
  void upOnAnExistingKafkaStartsNoBrokerAndServesInferenceThroughIt() throws Exception {
    Path dataDir = workDir.resolve("data");
    int httpPort = Ports.freePort();
    int unusedKafkaPort = Ports.freePort();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(workDir.resolve("k")));
        KaskadeProcess up =
            KaskadeProcess.start(
                workDir,
                "up",
                "--kafka",
                kafka.bootstrapServers(),
                "--data-dir",
                dataDir.toString(),
                "--http-port",
                Integer.toString(httpPort),
                "--grpc-port",
                Integer.toString(Ports.freePort()),
                "--kafka-port",
                Integer.toString(unusedKafkaPort),
                "--registry-port",
                Integer.toString(Ports.freePort()))) {
      assertThat(up.awaitLine(UpCommand.READY_LINE, WAIT)).as("output: %s", up.output()).isTrue();
      IrisClient iris = new IrisClient();
      await().atMost(Duration.ofSeconds(60)).until(() -> iris.ready(httpPort));
      assertThat(iris.infer(httpPort, "on-existing-kafka", Duration.ofSeconds(10)).statusCode())
          .isEqualTo(200);

      assertThat(up.output())
          .anyMatch(l -> l.contains("Kafka (existing) " + kafka.bootstrapServers()));
      assertThat(Files.exists(dataDir.resolve("kafka"))).as("no embedded broker data").isFalse();
      assertThatCode(() -> Ports.requireFree(unusedKafkaPort, "--kafka-port"))
          .as("--kafka-port not bound")
          .doesNotThrowAnyException();
      String requestsTopic = Topics.withDefaultPrefix().requests("default", "iris");
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
            .contains("_schemas", Topics.withDefaultPrefix().controlResources(), requestsTopic);
        ConfigResource requests = new ConfigResource(ConfigResource.Type.TOPIC, requestsTopic);
        assertThat(
                admin
                    .describeConfigs(List.of(requests))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(requests)
                    .get("min.insync.replicas")
                    .value())
            .isEqualTo("1");
      }
      assertThat(up.terminate(Duration.ofSeconds(15))).isPositive();
    }
  }
}
