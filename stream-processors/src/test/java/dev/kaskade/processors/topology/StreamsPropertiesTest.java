package dev.kaskade.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import java.nio.file.Path;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** Fetch waits and metadata refreshes as Kafka Streams resolves them for each of its clients. */
class StreamsPropertiesTest {
  private final StreamsConfig config =
      new StreamsConfig(
          StreamsProperties.of(
              "app",
              KafkaConnection.plaintext("localhost:9092"),
              Path.of("state"),
              true,
              "dlq",
              1_048_576));

  @Test
  void theMainConsumerLongPollsLikeEveryFollower() {
    assertThat(config.getMainConsumerConfigs("app", "client", 0))
        .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, ClientConfigs.FETCH_MAX_WAIT_MS);
  }

  @Test
  void theRestoreConsumerAsksAgainQuicklyAsItOnlyReadsToTheEnd() {
    assertThat(config.getRestoreConsumerConfigs("client"))
        .containsEntry(
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, ClientConfigs.FETCH_MAX_WAIT_MS_SHORT);
    assertThat(ClientConfigs.FETCH_MAX_WAIT_MS_SHORT).isLessThan(ClientConfigs.FETCH_MAX_WAIT_MS);
  }

  @Test
  void onlyThePatternSubscribedMainConsumerRefreshesMetadataEveryTwoSeconds() {
    assertThat(config.getMainConsumerConfigs("app", "client", 0))
        .containsEntry(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2000);
    assertThat(config.getRestoreConsumerConfigs("client"))
        .doesNotContainKey(ConsumerConfig.METADATA_MAX_AGE_CONFIG);
    assertThat(config.getGlobalConsumerConfigs("client"))
        .doesNotContainKey(ConsumerConfig.METADATA_MAX_AGE_CONFIG);
    assertThat(config.getProducerConfigs("client"))
        .doesNotContainKey(ProducerConfig.METADATA_MAX_AGE_CONFIG);
    assertThat(config.getAdminConfigs("client"))
        .doesNotContainKey(AdminClientConfig.METADATA_MAX_AGE_CONFIG);
  }
}
