package dev.kaskade.schemas.topic;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A topic as Kaskade wants it: partitions, configs and the Avro schema of its values (registered
 * under {@code <topic>-value} when the topic is created; null for raw-bytes topics).
 */
public record TopicSpec(
    String name, int partitions, Map<String, String> configs, Schema valueSchema) {
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1 for " + name);
    }
    configs = Map.copyOf(configs);
  }
}
