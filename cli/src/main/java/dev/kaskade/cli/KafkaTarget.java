package dev.kaskade.cli;

/**
 * Which Kafka and schema registry {@code kaskade up} uses: an existing cluster ({@code --kafka}) or
 * the embedded broker, and an existing registry ({@code --registry}) or the embedded one.
 *
 * @param bootstrapServers an existing cluster's bootstrap servers; null starts the embedded broker
 * @param registryUrl an existing schema registry; null starts the embedded registry on the Kafka
 * @param replicationFactor replicas of the topics Kaskade creates; null fits the cluster
 * @param minInsyncReplicas their min.insync.replicas; null fits the replication factor
 */
record KafkaTarget(
    String bootstrapServers,
    String registryUrl,
    Short replicationFactor,
    Integer minInsyncReplicas) {

  /** The embedded broker and registry, replication fitting it (one copy). */
  static KafkaTarget embedded() {
    return new KafkaTarget(null, null, null, null);
  }

  boolean existingKafka() {
    return bootstrapServers != null;
  }

  boolean existingRegistry() {
    return registryUrl != null;
  }
}
