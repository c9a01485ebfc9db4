package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kaskade up --secure} end to end, in one test because starting it is the cost: every
 * component on its own SCRAM principal behind ACLs still serves a V2 inference and writes its
 * audit, the secrets are private files, and a client without credentials is refused.
 */
class SecureUpIT {
  @TempDir Path workDir;

  @Test
  void securedInstanceServesAuditsAndRefusesPlaintextClients() throws Exception {
    Path dataDir = workDir.resolve("data");
    int httpPort = Ports.freePort();
    int kafkaPort = Ports.freePort();
    try (KaskadeProcess up =
        KaskadeProcess.start(
            workDir,
            "up",
            "--secure",
            "--data-dir",
            dataDir.toString(),
            "--http-port",
            Integer.toString(httpPort),
            "--grpc-port",
            Integer.toString(Ports.freePort()),
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--registry-port",
            Integer.toString(Ports.freePort()))) {
      assertThat(up.awaitLine(UpCommand.READY_LINE, Duration.ofMinutes(4)))
          .as("output: %s", up.output())
          .isTrue();
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://localhost:" + httpPort;
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(URI.create(base + "/v2/models/iris/ready"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .statusCode()
                      == 200);
      HttpResponse<String> v2 =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v2/models/iris/infer"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          """
                          {"inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32",
                           "data": [6.8, 2.8, 4.8, 1.4]}]}"""))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  !KaskadeProcess.auditRecords(workDir, dataDir, "iris", Duration.ofSeconds(60))
                      .isEmpty());

      Path secrets = dataDir.resolve("secrets");
      for (String file :
          new String[] {"ca.pem", "client.properties", "kaskade-gateway.properties"}) {
        assertThat(
                PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve(file))))
            .as(file)
            .isEqualTo("rw-------");
      }
      assertThat(Files.readString(secrets.resolve("client.properties")))
          .contains("security.protocol=SASL_SSL")
          .contains("basic.auth.user.info=kaskade:");

      Map<String, Object> plaintext =
          Map.of(
              "bootstrap.servers", "localhost:" + kafkaPort,
              "request.timeout.ms", 2000,
              "default.api.timeout.ms", 3000);
      try (Admin admin = Admin.create(plaintext)) {
        assertThatThrownBy(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS))
            .isInstanceOf(Exception.class);
      }
    }
  }
}
