package dev.kaskade.kafka.embedded.cluster;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * The 3-broker cluster the multi-broker suite runs on: child JVMs of the Kafka server jars by
 * default; the {@code apache/kafka} image when the {@code docker-kafka} Maven profile sets {@code
 * kaskade.test.kafka.cluster=docker} (skipped, not failed, where no Docker engine answers).
 */
final class TestClusters {
  static final String PROPERTY = "kaskade.test.kafka.cluster";

  private TestClusters() {}

  static KafkaCluster start(Path dir) {
    if ("docker".equals(System.getProperty(PROPERTY, "process"))) {
      Assumptions.assumeTrue(
          DockerClientFactory.instance().isDockerAvailable(),
          "no Docker engine: the docker-kafka profile skips its suite");
      return DockerKafkaCluster.start(3);
    }
    return ProcessKafkaCluster.start(dir, 3);
  }
}
