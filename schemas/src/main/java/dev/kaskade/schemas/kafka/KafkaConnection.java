package dev.kaskade.schemas.kafka;

import java.util.Objects;

/**
 * Where and how a component reaches Kafka: bootstrap servers plus its client security settings.
 * Every client Kaskade creates is configured from one of these through {@link ClientConfigs}.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param security {@code security.protocol}, {@code sasl.*}, {@code ssl.*} settings
 */
public record KafkaConnection(String bootstrapServers, KafkaSecurity security) {
  public KafkaConnection {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(security, "security");
  }

  /** No security settings (PLAINTEXT): tests and the unsecured embedded broker. */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, KafkaSecurity.none());
  }
}
