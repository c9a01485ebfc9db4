package dev.kaskade.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code kaskade up} was asked for. Port 0 means any free port (tests); a null model memory
 * budget leaves the worker's default; {@code gatewaySettings} are the gateway's host,
 * authentication and TLS settings from the flags. {@code secure}: SASL_SSL broker, per-component
 * principals and ACLs, registry behind basic auth ({@link SecureStandalone}). A null Kafka target
 * means the embedded broker and registry.
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
    java.util.Map<String, String> gatewaySettings,
    boolean secure,
    KafkaTarget kafka) {
  StandaloneOptions {
    manifests = List.copyOf(manifests);
    gatewaySettings = java.util.Map.copyOf(gatewaySettings);
    kafka = kafka == null ? KafkaTarget.embedded() : kafka;
  }

  StandaloneOptions(
      Path dataDir,
      int httpPort,
      int grpcPort,
      int kafkaPort,
      int registryPort,
      List<Path> manifests,
      boolean demo,
      Long modelMemoryBudgetBytes) {
    this(
        dataDir,
        httpPort,
        grpcPort,
        kafkaPort,
        registryPort,
        manifests,
        demo,
        modelMemoryBudgetBytes,
        java.util.Map.of(),
        false,
        null);
  }
}
