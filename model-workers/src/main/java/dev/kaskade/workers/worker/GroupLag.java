package dev.kaskade.workers.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Requests waiting for a revision: the records of its topic after its consumer group's committed
 * offsets (what KEDA's Kafka scaler calls lag), read with an admin client.
 */
public final class GroupLag {
  private final Admin admin;

  public GroupLag(Admin admin) {
    this.admin = admin;
  }

  /** The group's lag on the topic; a partition the group never committed counts from 0. */
  public long of(String topic, String group) throws Exception {
    List<TopicPartition> partitions =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    Map<TopicPartition, Long> ends =
        admin
            .listOffsets(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
            .all()
            .get(10, TimeUnit.SECONDS)
            .entrySet()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    return lag(ends, committed);
  }

  /** Sum over the partitions of end offset minus committed offset (0 where none committed). */
  static long lag(
      Map<TopicPartition, Long> ends, Map<TopicPartition, OffsetAndMetadata> committed) {
    long total = 0;
    for (var end : ends.entrySet()) {
      OffsetAndMetadata done = committed.get(end.getKey());
      total += Math.max(0, end.getValue() - (done == null ? 0 : done.offset()));
    }
    return total;
  }
}
