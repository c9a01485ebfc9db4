package dev.kaskade.kafka.embedded.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 3-broker test cluster behaves like a production one: topics get replication factor 3 and
 * {@code min.insync.replicas} 2, and {@code kill -9} of a partition's leader loses no acknowledged
 * record while writes go on (the window in which sends stalled is printed).
 */
class MultiBrokerClusterIT {
  @TempDir Path dir;

  @Test
  void killingThePartitionLeaderLosesNoAcknowledgedRecord() throws Exception {
    try (KafkaCluster cluster = TestClusters.start(dir);
        Admin admin = admin(cluster)) {
      assertThat(cluster.nodeIds()).hasSize(3);
      admin.createTopics(List.of(new NewTopic("orders", 1, (short) -1))).all().get();
      TopicDescription topic = describe(admin, "orders");
      assertThat(topic.partitions().get(0).replicas()).hasSize(3);
      assertThat(
              admin
                  .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "orders")))
                  .all()
                  .get()
                  .values()
                  .iterator()
                  .next()
                  .get("min.insync.replicas")
                  .value())
          .isEqualTo("2");
      int leader = topic.partitions().get(0).leader().id();

      Set<String> acked = new HashSet<>();
      long slowest = 0;
      try (KafkaProducer<String, String> producer = producer(cluster)) {
        for (int i = 0; i < 60; i++) {
          if (i == 20) {
            cluster.kill(leader);
          }
          long sent = System.nanoTime();
          producer.send(new ProducerRecord<>("orders", "r" + i)).get(60, TimeUnit.SECONDS);
          slowest = Math.max(slowest, System.nanoTime() - sent);
          acked.add("r" + i);
        }
      }
      int newLeader = describe(admin, "orders").partitions().get(0).leader().id();
      System.out.printf(
          "3-broker cluster: leader %d killed, new leader %d, slowest acks=all send %d ms%n",
          leader, newLeader, slowest / 1_000_000);
      assertThat(newLeader).isNotEqualTo(leader);

      cluster.restart(leader);
      assertThat(consumeAll(cluster, "orders", acked.size()))
          .containsExactlyInAnyOrderElementsOf(acked);
    }
  }

  /**
   * The topic once a broker describes it with a leader for every partition: the controller
   * acknowledges a creation before every broker has applied it (a describe right after it can get
   * UnknownTopicOrPartition, as a full test run did), and a partition whose leader was just killed
   * has none for a moment.
   */
  private static TopicDescription describe(Admin admin, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        TopicDescription description =
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        if (description.partitions().stream()
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return description;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause()
                instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no leader for every partition of " + topic + " within 30 s");
      }
      Thread.sleep(100);
    }
  }

  private static Admin admin(KafkaCluster cluster) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
  }

  private static KafkaProducer<String, String> producer(KafkaCluster cluster) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            60_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000),
        new StringSerializer(),
        new StringSerializer());
  }

  private static List<String> consumeAll(KafkaCluster cluster, String topic, int expected) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "check-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<String> values = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
      return values;
    }
  }
}
