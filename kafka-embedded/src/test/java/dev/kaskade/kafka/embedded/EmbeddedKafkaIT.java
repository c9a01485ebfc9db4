package dev.kaskade.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

  @TempDir Path dataDir;

  @Test
  void keepsRecordsAndPortAcrossARestart() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(dataDir))) {
      int port = kafka.port();
      createTopic(kafka, "restart-test");
      produce(kafka, "restart-test", "before");

      kafka.restart();

      assertThat(kafka.port()).isEqualTo(port);
      produce(kafka, "restart-test", "after");
      assertThat(consumeAll(kafka, "restart-test", 2)).containsExactly("before", "after");
    }
  }

  @Test
  void reusesFormattedStorageWhenStartedAgainOnTheSameDataDir() throws Exception {
    try (EmbeddedKafka first = EmbeddedKafka.start(EmbeddedKafkaConfig.at(dataDir))) {
      createTopic(first, "durable");
      produce(first, "durable", "kept");
    }
    try (EmbeddedKafka second = EmbeddedKafka.start(EmbeddedKafkaConfig.at(dataDir))) {
      assertThat(consumeAll(second, "durable", 1)).containsExactly("kept");
    }
  }

  @Test
  void compactsACompactedTopicWithItsSmallCleanerBuffer() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(dataDir));
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("compacted", 1, (short) 1)
                      .configs(
                          Map.of(
                              "cleanup.policy", "compact",
                              "segment.ms", "100",
                              "min.cleanable.dirty.ratio", "0.01",
                              "delete.retention.ms", "0"))))
          .all()
          .get();
      for (int i = 1; i <= 10; i++) {
        produce(kafka, "compacted", "key", "v" + i);
        Thread.sleep(150); // each value lands in a segment of its own
      }
      produce(kafka, "compacted", "other", "last"); // rolls the segment holding v10

      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      List<String> values = consumeAll(kafka, "compacted", 2);
      while (values.contains("v1") && System.nanoTime() < deadline) {
        Thread.sleep(500);
        values = consumeAll(kafka, "compacted", 2);
      }
      assertThat(values).isNotEmpty().doesNotContain("v1", "v2");
    }
  }

  @Test
  void sharedBrokerIsOneInstancePerJvm() {
    assertThat(SharedKafka.get()).isSameAs(SharedKafka.get());
    assertThat(SharedKafka.get().bootstrapServers()).startsWith("localhost:");
  }

  private static void createTopic(EmbeddedKafka kafka, String topic) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  private static void produce(EmbeddedKafka kafka, String topic, String value) throws Exception {
    produce(kafka, topic, null, value);
  }

  private static void produce(EmbeddedKafka kafka, String topic, String key, String value)
      throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static List<String> consumeAll(EmbeddedKafka kafka, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
