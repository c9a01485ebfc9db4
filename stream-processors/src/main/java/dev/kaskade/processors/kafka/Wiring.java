package dev.kaskade.processors.kafka;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.topic.Topics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Where a plain-consumer service reaches Kafka and the registry, and its consumer group. */
public record Wiring(
    KafkaConnection bootstrap,
    SchemaRegistryClient registry,
    Topics topics,
    int maxMessageBytes,
    String groupId) {

  /**
   * Consumer settings for a pattern subscription: metadata refreshed every 5 s so that the topics
   * of a newly applied InferenceService are picked up quickly.
   */
  public Map<String, Object> consumerConfig() {
    Map<String, Object> config = ClientConfigs.consumer(bootstrap, groupId, maxMessageBytes);
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
    return config;
  }
}
