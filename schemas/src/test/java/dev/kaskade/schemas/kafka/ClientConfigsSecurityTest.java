package dev.kaskade.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.runtime.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigsSecurityTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\""
          + " password=\"p\";";

  @TempDir Path dir;

  @Test
  void environmentSettingsReachProducerConsumerAdminAndStreams() {
    // As ClusterCommand and `kaskade up` pass them: KASKADE_ stripped.
    Map<String, String> env =
        Map.of(
            "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "KAFKA_SASL_JAAS_CONFIG", JAAS,
            "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/ca.pem",
            "WORKER_MEMORY_BUDGET_BYTES", "1");
    KafkaConnection kafka =
        new KafkaConnection("b:9093", KafkaSecurity.fromSettings(Settings.of(env)));

    for (Map<String, Object> config :
        java.util.List.of(
            ClientConfigs.producer(kafka, 1024),
            ClientConfigs.consumer(kafka, "g", 1024),
            ClientConfigs.admin(kafka))) {
      assertThat(config)
          .containsEntry("bootstrap.servers", "b:9093")
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("sasl.jaas.config", JAAS)
          .containsEntry("ssl.truststore.location", "/etc/ca.pem")
          .doesNotContainKey("worker.memory.budget.bytes");
    }
    Properties streams = ClientConfigs.streams(kafka, new Properties());
    assertThat(streams)
        .containsEntry("bootstrap.servers", "b:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", JAAS);
  }

  @Test
  void propertiesFileGivesSecurityKeysOnlyAndSettingsWinOverIt() throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        """
        bootstrap.servers=elsewhere:9092
        security.protocol=SSL
        ssl.truststore.type=PEM
        ssl.truststore.location=/etc/kafka/ca.pem
        linger.ms=500
        """);
    KafkaSecurity security =
        KafkaSecurity.fromSettings(
            Settings.of(
                Map.of(
                    KafkaSecurity.FILE_SETTING,
                    file.toString(),
                    "kafka.security.protocol",
                    "SASL_SSL")));

    Map<String, Object> producer =
        ClientConfigs.producer(new KafkaConnection("b:9093", security), 1024);

    assertThat(producer)
        .containsEntry("bootstrap.servers", "b:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.location", "/etc/kafka/ca.pem")
        .containsEntry("linger.ms", 0);
  }

  @Test
  void configFileNamedInEnvironmentFormIsRead() throws Exception {
    Path file = dir.resolve("c.properties");
    Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");

    KafkaSecurity security =
        KafkaSecurity.fromSettings(Settings.of(Map.of("KAFKA_CONFIG", file.toString())));

    assertThat(security.properties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN");
  }

  @Test
  void toStringMasksJaasAndPasswords() {
    KafkaSecurity security =
        new KafkaSecurity(
            Map.of(
                "sasl.jaas.config",
                JAAS,
                "ssl.keystore.password",
                "secret",
                "sasl.mechanism",
                "X"));

    assertThat(security.toString()).doesNotContain("password=\"p\"").doesNotContain("secret");
  }

  @Test
  void noSettingsMeansPlaintextAsBefore() {
    Map<String, Object> producer =
        ClientConfigs.producer(new KafkaConnection("b:1", KafkaSecurity.fromSettings(Map.of())), 1);
    assertThat(producer).doesNotContainKey("security.protocol");
  }
}
