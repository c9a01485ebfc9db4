package dev.kaskade.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code kaskade up} was asked for. Port 0 means any free port (tests); a null model memory
 * budget leaves the worker's default. {@code secure}: SASL_SSL broker, per-component principals and
 * ACLs, registry behind basic auth ({@link SecureStandalone}).
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
    boolean secure) {
  StandaloneOptions {
    manifests = List.copyOf(manifests);
  }

  /** Not secured, as before {@code --secure}. */
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
        false);
  }
}
