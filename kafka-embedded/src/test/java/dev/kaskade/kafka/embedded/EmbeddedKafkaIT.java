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
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, value)).get();
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
