package dev.kaskade.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaskade up}: everything in one JVM on an embedded broker. */
@Command(
    name = "up",
    description =
        "Start Kaskade standalone: embedded Kafka (KRaft), schema registry, control plane,"
            + " workers, stream processors, audit sink and gateway, serving the demo models iris and minilm.")
final class UpCommand implements Runnable {
  static final String READY_LINE = "Kaskade ready";

  @Mixin DataDirOption dataDir;

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

  @Override
  public void run() {
    Ports.requireFree(httpPort, "--http-port");
    Ports.requireFree(grpcPort, "--grpc-port");
    Ports.requireFree(kafkaPort, "--kafka-port");
    Ports.requireFree(registryPort, "--registry-port");
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
            modelMemoryBudget);
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
