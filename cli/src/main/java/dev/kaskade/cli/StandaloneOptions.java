package dev.kaskade.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code kaskade up} was asked for. Port 0 means any free port (tests); a null model memory
 * budget leaves the worker's default; a null Kafka target means the embedded broker and registry.
 */
record StandaloneOptions(
    Path dataDir,
    int httpPort,
    int grpcPort,
    int kafkaPort,
    int registryPort,
    List<Path> manifests,
    boolean demo,
    Long modelMemoryBudgetBytes,
    KafkaTarget kafka) {
  StandaloneOptions {
    manifests = List.copyOf(manifests);
    kafka = kafka == null ? KafkaTarget.embedded() : kafka;
  }
}
