package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a fresh broker the warm-up alone creates both coordinators' topics, and a transactional
 * producer then finds its coordinator.
 */
class CoordinatorWarmUpIT {
  @TempDir Path dataDir;

  @Test
  void aFreshBrokerGetsItsCoordinatorTopicsBeforeAnyoneNeedsThem() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(dataDir));
        Admin admin =
            Admin.create(
                Map.<String, Object>of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      assertThat(internalTopics(admin))
          .as("a fresh broker has neither yet")
          .doesNotContain(Topic.TRANSACTION_STATE_TOPIC_NAME, Topic.GROUP_METADATA_TOPIC_NAME);

      CoordinatorWarmUp.transactions(admin);
      CoordinatorWarmUp.groups(admin);

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(internalTopics(admin))
                      .contains(
                          Topic.TRANSACTION_STATE_TOPIC_NAME, Topic.GROUP_METADATA_TOPIC_NAME));
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.<String, Object>of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                  "warm-up-it",
                  ProducerConfig.MAX_BLOCK_MS_CONFIG,
                  30_000),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer.initTransactions(); // throws if the coordinator never became available
      }
    }
  }

  private static Set<String> internalTopics(Admin admin) throws Exception {
    return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
  }
}
