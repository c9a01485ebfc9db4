package dev.kaskade.schemas.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Looks up a topic's partitions, waiting for a just-created topic's metadata to propagate. */
public final class Partitions {
  private Partitions() {}

  public static List<TopicPartition> of(Consumer<?, ?> consumer, String topic, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (infos != null && !infos.isEmpty()) {
        List<TopicPartition> out = new ArrayList<>();
        infos.forEach(p -> out.add(new TopicPartition(p.topic(), p.partition())));
        return out;
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for topic " + topic, e);
      }
    }
  }
}
