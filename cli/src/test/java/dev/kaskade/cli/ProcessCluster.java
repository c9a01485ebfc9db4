package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * A Kafka broker and schema registry started by a test, and {@code kaskade <component>} processes
 * against them (each with its own data dir and a 384 MB heap), as a user runs Kaskade outside
 * Kubernetes. Closing stops the processes first, then the registry and the broker.
 */
final class ProcessCluster implements AutoCloseable {
  private final Path workDir;
  private final EmbeddedKafka kafka;
  private final SchemaRegistryServer registry;
  private final Admin admin;
  private final List<KaskadeProcess> processes = new ArrayList<>();

  private ProcessCluster(Path workDir, EmbeddedKafka kafka, SchemaRegistryServer registry) {
    this.workDir = workDir;
    this.kafka = kafka;
    this.registry = registry;
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  static ProcessCluster start(Path workDir) throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(workDir.resolve("k")));
    try {
      return new ProcessCluster(
          workDir, kafka, SchemaRegistryServer.start(kafka.bootstrapServers(), 0));
    } catch (Exception | Error e) {
      kafka.close();
      throw e;
    }
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  String registryUrl() {
    return registry.url();
  }

  Admin admin() {
    return admin;
  }

  /**
   * Starts {@code kaskade <component> --kafka … --registry … args…}, with {@code --data-dir
   * workDir/pN} unless args name one.
   */
  KaskadeProcess start(String component, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(component, "--kafka", kafka.bootstrapServers(), "--registry", registry.url()));
    command.addAll(List.of(args));
    if (!command.contains("--data-dir")) {
      command.addAll(List.of("--data-dir", workDir.resolve("p" + processes.size()).toString()));
    }
    KaskadeProcess process =
        KaskadeProcess.start(
            workDir, Map.of("JAVA_TOOL_OPTIONS", "-Xmx384m"), command.toArray(String[]::new));
    processes.add(process);
    return process;
  }

  /** Waits until every process started so far printed its ready line; prints how long it took. */
  void awaitReady(Duration timeout) throws InterruptedException {
    long starting = System.nanoTime();
    for (KaskadeProcess process : processes) {
      assertThat(process.awaitLine(UpCommand.READY_LINE, timeout))
          .as("output: %s", process.output())
          .isTrue();
    }
    System.out.printf(
        "separate processes: all %d ready in %.1f s%n",
        processes.size(), (System.nanoTime() - starting) / 1e9);
  }

  /** Members of an InferenceService's worker group (namespace default) that hold a partition. */
  long workerMembersWithPartitions(String isvc) throws Exception {
    List<String> groups =
        admin.listGroups().all().get(10, TimeUnit.SECONDS).stream()
            .map(g -> g.groupId())
            .filter(g -> g.startsWith("kaskade-worker-default-" + isvc + "-"))
            .toList();
    Collection<ConsumerGroupDescription> described =
        admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS).values();
    return described.stream()
        .flatMap(g -> g.members().stream())
        .map(MemberDescription::assignment)
        .filter(a -> !a.topicPartitions().isEmpty())
        .count();
  }

  @Override
  public void close() {
    processes.forEach(KaskadeProcess::close);
    admin.close(Duration.ofSeconds(5));
    registry.close();
    kafka.close();
  }
}
