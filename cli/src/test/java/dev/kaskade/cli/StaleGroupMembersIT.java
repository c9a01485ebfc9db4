package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members left behind by consumers that never left (the process died) are found and removed right
 * after the broker restarts, while its group coordinator may still be electing and loading {@code
 * __consumer_offsets}.
 */
class StaleGroupMembersIT {
  static final String JOINED = "all groups joined";

  private static final String TOPIC = "stale-members";
  private static final List<String> GROUPS =
      IntStream.range(0, 6).mapToObj(i -> "stale-group-" + i).toList();

  @TempDir Path dataDir;

  @Test
  void removesEveryMemberTheDeadInstanceLeftEvenWhileTheCoordinatorLoads() throws Exception {
    EmbeddedKafkaConfig config = EmbeddedKafkaConfig.at(dataDir);
    List<KafkaConsumer<byte[], byte[]>> abandoned = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(config)) {
      try (Admin admin = admin(kafka)) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
      }
      for (String group : GROUPS) {
        abandoned.add(joined(kafka, group));
      }
    } // the broker stops with the members still in its groups
    for (KafkaConsumer<byte[], byte[]> consumer : abandoned) {
      consumer.close(Duration.ZERO); // nothing reaches the stopped broker: no LeaveGroup
    }

    try (EmbeddedKafka kafka = EmbeddedKafka.start(config);
        Admin admin = admin(kafka)) {
      int cleared = StaleGroupMembers.evict(admin);

      assertThat(cleared).isEqualTo(GROUPS.size());
      Map<String, ConsumerGroupDescription> groups =
          admin.describeConsumerGroups(GROUPS).all().get();
      assertThat(groups.values()).allSatisfy(g -> assertThat(g.members()).isEmpty());
      assertThat(StaleGroupMembers.evict(admin)).as("nothing is left to clear").isZero();
    }
  }

  /**
   * As after {@code kill -9} of {@code kaskade up}: the broker died with its members, and restarts
   * under a stale registration that the controller fences before it unfences the new one, so the
   * coordinator loads the offsets, unloads them and loads them again while the broker starts.
   */
  @Test
  void removesTheMembersOfABrokerKilledWithThem() throws Exception {
    try (KaskadeProcess broker =
        KaskadeProcess.startMain(dataDir, BrokerWithMembers.class, dataDir.toString())) {
      assertThat(broker.awaitLine(JOINED, Duration.ofMinutes(2)))
          .as("the broker process joined its groups: %s", broker.output())
          .isTrue();
      broker.kill();
    }

    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(dataDir));
        Admin admin = admin(kafka)) {
      assertThat(StaleGroupMembers.evict(admin)).isEqualTo(GROUPS.size());
      assertThat(admin.describeConsumerGroups(GROUPS).all().get().values())
          .allSatisfy(g -> assertThat(g.members()).isEmpty());
    }
  }

  /** The process {@link #removesTheMembersOfABrokerKilledWithThem} kills: broker plus members. */
  static final class BrokerWithMembers {
    public static void main(String[] args) throws Exception {
      EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(Path.of(args[0])));
      try (Admin admin = admin(kafka)) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
      }
      List<KafkaConsumer<byte[], byte[]>> members = new ArrayList<>();
      for (String group : GROUPS) {
        members.add(joined(kafka, group));
      }
      System.out.println(JOINED);
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE); // killed here, members and all
    }
  }

  @Test
  void aFreshBrokerHasNothingToClear() {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(dataDir));
        Admin admin = admin(kafka)) {
      assertThat(StaleGroupMembers.evict(admin)).isZero();
    }
  }

  private static KafkaConsumer<byte[], byte[]> joined(EmbeddedKafka kafka, String group) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    consumer.subscribe(List.of(TOPIC));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(100));
    }
    assertThat(consumer.assignment()).as("%s joined", group).isNotEmpty();
    return consumer;
  }

  private static Admin admin(EmbeddedKafka kafka) {
    return Admin.create(
        Map.<String, Object>of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }
}
