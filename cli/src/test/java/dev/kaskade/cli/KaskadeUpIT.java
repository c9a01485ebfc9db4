package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KaskadeUpIT {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path workDir;

  @Test
  void upReachesReadyServesBrokerAndRegistryAndStopsWithinTenSeconds() throws Exception {
    int kafkaPort = Ports.freePort();
    int registryPort = Ports.freePort();
    try (KaskadeProcess up =
        KaskadeProcess.start(
            workDir,
            "up",
            "--data-dir",
            workDir.resolve("data").toString(),
            "--http-port",
            Integer.toString(Ports.freePort()),
            "--grpc-port",
            Integer.toString(Ports.freePort()),
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--registry-port",
            Integer.toString(registryPort))) {

      assertThat(up.awaitLine(UpCommand.READY_LINE, READY_TIMEOUT))
          .as("output: %s", up.output())
          .isTrue();
      assertThat(up.output().stream().filter(l -> l.contains(UpCommand.READY_LINE))).hasSize(1);

      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + kafkaPort))) {
        assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
            .contains("kaskade.control.resources", "kaskade.control.status", "_schemas");
      }
      HttpResponse<String> subjects =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + registryPort + "/subjects"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(subjects.statusCode()).isEqualTo(200);
      // By the ready line every topic has its schema, the demo model's included (they register
      // while the components start: TopicProvisioner.ensureTopics, awaited before the line).
      assertThat(subjects.body())
          .contains(
              "kaskade.control.resources-value",
              "kaskade.default.iris.requests-value",
              "kaskade.default.iris.responses-value");
      assertThat(workDir.resolve("data").resolve(InstanceFile.NAME)).exists();

      double seconds = up.terminate(Duration.ofSeconds(10));
      assertThat(seconds).as("output: %s", up.output()).isBetween(0.0, 10.0);
      assertThat(workDir.resolve("data").resolve(InstanceFile.NAME)).doesNotExist();
    }
  }

  @Test
  void takenPortFailsFastNamingTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0);
        KaskadeProcess up =
            KaskadeProcess.start(
                workDir,
                "up",
                "--data-dir",
                workDir.resolve("data").toString(),
                "--http-port",
                Integer.toString(taken.getLocalPort()))) {
      assertThat(up.awaitExit(Duration.ofSeconds(30))).isNotZero();
      assertThat(String.join("\n", up.output()))
          .contains("--http-port")
          .contains(Integer.toString(taken.getLocalPort()));
      assertThat(Files.exists(workDir.resolve("data").resolve("kafka"))).isFalse();
    }
  }

  @Test
  void versionPrintsTheProjectAndKafkaVersions() throws Exception {
    try (KaskadeProcess version = KaskadeProcess.start(workDir, "version")) {
      assertThat(version.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(String.join("\n", version.output())).contains("kaskade 0.").contains("Kafka 4.");
    }
  }
}
