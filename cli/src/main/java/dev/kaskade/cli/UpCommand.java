package dev.kaskade.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaskade up}: everything in one JVM on an embedded broker. */
@Command(
    name = "up",
    description =
        "Start Kaskade standalone: embedded Kafka (KRaft), schema registry, control plane,"
            + " workers, stream processors, audit sink and gateway, serving the demo models iris,"
            + " minilm (embeddings) and tiny-lm (generation). With --kafka (and --registry) on an"
            + " existing cluster instead.")
final class UpCommand implements Runnable {
  static final String READY_LINE = "Kaskade ready";

  @Mixin DataDirOption dataDir;

  @Mixin GatewaySecurityOptions gatewaySecurity;

  @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port (REST + gRPC).")
  int httpPort;

  @Option(names = "--grpc-port", defaultValue = "8081", description = "gRPC port.")
  int grpcPort;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka client port.")
  int kafkaPort;

  @Option(names = "--registry-port", defaultValue = "8085", description = "Schema registry port.")
  int registryPort;

  @Option(
      names = "--manifests",
      paramLabel = "DIR",
      description = "Apply the manifests in this folder at start (repeatable).")
  List<Path> manifests = new ArrayList<>();

  @Option(names = "--no-demo", description = "Do not serve the demo models (iris, minilm).")
  boolean noDemo;

  @Option(
      names = "--model-memory-budget",
      paramLabel = "SIZE",
      converter = ByteSize.class,
      description =
          "Memory for the TrainedModels one multi-model InferenceService keeps loaded (512m,"
              + " 2g, 1GiB, bytes); least recently used are unloaded beyond it. Default: half"
              + " the heap.")
  Long modelMemoryBudget;

  // Kafka security (docs/security.md#kafka-security).
  @Option(
      names = "--secure",
      description =
          "Embedded Kafka accepts only SASL_SSL (SCRAM-SHA-512), one principal per component with"
              + " least-privilege ACLs, and the schema registry requires basic auth. Credentials"
              + " and the CA are written to <data-dir>/secrets/ (client.properties for outside"
              + " clients) and reused on restart.")
  boolean secure;

  // ---- An existing Kafka cluster / schema registry instead of the embedded ones (#16) ----

  @Option(
      names = "--kafka",
      paramLabel = "BOOTSTRAP",
      description =
          "Run on this existing Kafka cluster (host:port,...) instead of starting the embedded"
              + " broker; --kafka-port is then unused.")
  String existingKafka;

  @Option(
      names = "--registry",
      paramLabel = "URL",
      description =
          "Use this Confluent-compatible schema registry instead of starting the embedded one"
              + " (which stores its schemas in the Kafka cluster); --registry-port is then unused.")
  String existingRegistry;

  @Mixin ReplicationOptions replication;

  /**
   * Stop again right after the ready line: the {@code kaskade} launcher's one training run of the
   * start-up cache (docs/performance.md, "Start-up").
   */
  @Option(names = "--exit-when-ready", hidden = true)
  boolean exitWhenReady;

  KafkaTarget kafkaTarget() {
    return new KafkaTarget(
        existingKafka,
        existingRegistry,
        replication.replicationFactor,
        replication.minInsyncReplicas);
  }

  // ---- end of the existing-Kafka options ----

  @Override
  public void run() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("--http-port", httpPort);
    ports.put("--grpc-port", grpcPort);
    if (existingKafka == null) {
      ports.put("--kafka-port", kafkaPort);
    }
    if (existingRegistry == null) {
      ports.put("--registry-port", registryPort);
    }
    Ports.requireDistinct(ports);
    Ports.requireFree(httpPort, "--http-port");
    Ports.requireFree(grpcPort, "--grpc-port");
    if (existingKafka == null) {
      Ports.requireFree(kafkaPort, "--kafka-port");
    }
    if (existingRegistry == null) {
      Ports.requireFree(registryPort, "--registry-port");
    }
    long started = System.nanoTime();
    StandaloneOptions options =
        new StandaloneOptions(
            dataDir.dataDir(),
            httpPort,
            grpcPort,
            kafkaPort,
            registryPort,
            manifests,
            !noDemo,
            modelMemoryBudget,
            gatewaySecurity.settings(),
            secure,
            kafkaTarget());
    StandaloneLauncher launcher = new StandaloneLauncher(options, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> shutDown(launcher, stopped), "kaskade-shutdown"));
    try {
      launcher.start();
    } catch (RuntimeException e) {
      launcher.close();
      throw e;
    }
    for (String endpoint : launcher.endpoints()) {
      System.out.println("  " + endpoint);
    }
    System.out.printf(
        "%s in %.1f s (data dir %s)%n",
        READY_LINE, (System.nanoTime() - started) / 1e9, options.dataDir());
    System.out.flush();
    if (exitWhenReady) {
      System.exit(0); // the shutdown hook closes the launcher
    }
    awaitQuietly(stopped);
  }

  private static void shutDown(StandaloneLauncher launcher, CountDownLatch stopped) {
    Thread watchdog =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    Thread.sleep(9_000);
                    System.err.println("shutdown took too long; halting");
                    Runtime.getRuntime().halt(1);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    launcher.close();
    watchdog.interrupt();
    System.out.println("Kaskade stopped");
    stopped.countDown();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
