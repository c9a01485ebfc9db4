package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.cli.SteadyLoad.Call;
import dev.kaskade.kafka.embedded.cluster.ProcessKafkaCluster;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Kaskade as separate processes (reconciler, processors, audit sink, one worker, two gateways) on a
 * 3-broker KRaft cluster ({@link ProcessKafkaCluster}, replication factor 3, {@code
 * min.insync.replicas} 2), failures under steady load through both gateways, each with a figure
 * printed for docs/benchmarks.md. One cluster and one set of processes serve every test (ordered:
 * scale to zero, leader broker killed, rolling restart, gateway killed last).
 *
 * <p>Nine JVMs, about 4.5 min on 2 cores: runs only with {@code -Dkaskade.it.cluster=true} (figures
 * and the command in docs/benchmarks.md).
 */
@EnabledIfSystemProperty(named = "kaskade.it.cluster", matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailuresIT {
  private static final Duration START = Duration.ofMinutes(5);
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String COLD = "iris0";

  /** Each process's output, kept after the run (the brokers' logs are copied here at the end). */
  private static final Path LOGS = Path.of("target", "cluster-failures-it");

  private Path workDir;
  private ProcessKafkaCluster kafka;
  private SchemaRegistryServer registry;
  private Admin admin;
  private String[] cluster;
  private final List<KaskadeProcess> processes = new ArrayList<>();
  private final IrisClient iris = new IrisClient();
  private final int[] gateways = {Ports.freePort(), Ports.freePort()};
  private KaskadeProcess processors;
  private KaskadeProcess auditSink;
  private KaskadeProcess firstGateway;
  private Path auditDir;

  @BeforeAll
  void startClusterAndProcesses() throws Exception {
    workDir = Files.createTempDirectory("kaskade-cluster-it");
    long starting = System.nanoTime();
    kafka = ProcessKafkaCluster.start(workDir.resolve("kafka"), 3);
    registry =
        new SchemaRegistryServer(
                SchemaRegistryServer.Options.defaults(kafka.bootstrapServers())
                    .withReplicationFactor((short) 3))
            .start();
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    cluster = new String[] {"--kafka", kafka.bootstrapServers(), "--registry", registry.url()};
    auditDir = workDir.resolve("audit-sink");
    start("reconciler", "--standalone", "--manifests", manifests().toString());
    processors = start("processors");
    auditSink = startAuditSink();
    start("worker", "--metrics-port", "0", "--set", "worker.scale.to.zero.idle.ms=3000");
    firstGateway = startGateway(gateways[0]);
    startGateway(gateways[1]);
    for (KaskadeProcess process : processes) {
      assertThat(process.awaitLine(UpCommand.READY_LINE, START))
          .as("output: %s", process.output())
          .isTrue();
    }
    for (int port : gateways) {
      await().atMost(Duration.ofSeconds(90)).until(() -> iris.ready(port));
      assertThat(iris.infer(port, "warm-" + port, Duration.ofSeconds(30)).statusCode())
          .isEqualTo(200);
    }
    System.out.printf(
        "cluster failures: 3 brokers and %d processes ready in %.1f s%n",
        processes.size(), (System.nanoTime() - starting) / 1e9);
  }

  @AfterAll
  void stopEverything() throws Exception {
    processes.forEach(KaskadeProcess::close);
    if (admin != null) {
      admin.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
      for (int node : kafka.nodeIds()) {
        Files.copy(
            kafka.logOf(node),
            LOGS.resolve("broker-" + node + ".log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (workDir != null) {
      try (var paths = Files.walk(workDir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void revisionWithMinReplicasZeroSleepsWhenIdleAndWakesOnWaitingRequestsFailingNone()
      throws Exception {
    List<Long> coldStarts = new ArrayList<>();
    for (int cycle = 0; cycle < 3; cycle++) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> coldWorkerMembers() == 0);
      List<Thread> burst = new ArrayList<>();
      List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
      long sent = System.nanoTime();
      for (int i = 0; i < 4; i++) {
        int port = gateways[i % 2];
        String id = "cold-" + cycle + "-" + i;
        burst.add(Thread.ofVirtual().start(() -> calls.add(coldCall(port, id))));
      }
      for (Thread thread : burst) {
        thread.join();
      }
      assertThat(calls).allSatisfy(c -> assertThat(c.status()).as(c.toString()).isEqualTo(200));
      coldStarts.add(calls.stream().mapToLong(Call::millis).max().orElseThrow());
      assertThat(coldWorkerMembers()).as("awake after the burst").isPositive();
      if (cycle == 0) {
        System.out.printf(
            "scale to zero: first wake %d ms after the burst was sent%n",
            (System.nanoTime() - sent) / 1_000_000);
      }
    }
    List<Long> warm = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Call call = coldCall(gateways[0], "warm-cold-" + i);
      assertThat(call.status()).isEqualTo(200);
      warm.add(call.millis());
    }
    System.out.printf(
        "scale to zero: 3 wakes x 4 requests, 0 failed; cold start (slowest call of each burst)"
            + " %s ms; warm calls %s ms%n",
        coldStarts, warm);
  }

  @Test
  @Order(2)
  void killingTheLeaderBrokerOfTheRequestTopicLosesNoRequest() throws Exception {
    String topic = predictorTopic("iris");
    TopicDescription described =
        admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
    assertThat(described.partitions().get(0).replicas()).hasSize(3);
    assertThat(minInsyncReplicas(topic)).isEqualTo("2");
    int leader = described.partitions().get(0).leader().id();

    SteadyLoad load = new SteadyLoad("lk", gateways, 2, DEADLINE);
    await().atMost(Duration.ofSeconds(60)).until(() -> load.answeredCount() >= 20);
    long killed = System.nanoTime();
    kafka.kill(leader);
    System.out.printf(
        "leader broker %d of %s killed at %s%n", leader, topic, java.time.Instant.now());
    List<Call> calls;
    try {
      Thread.sleep(20_000);
      calls = load.stop();
    } finally {
      kafka.restart(leader);
    }

    assertAnsweredOrTimedOutByDeadline(calls);
    assertThat(SteadyLoad.answeredIds(calls)).doesNotHaveDuplicates();
    assertThat(calls)
        .as("answered after the kill")
        .anyMatch(c -> c.sent() > killed && c.answered());
    long median = SteadyLoad.medianMillisBefore(calls, killed);
    long slow = Math.max(1_000, 5 * median);
    List<Call> hurt =
        calls.stream()
            .filter(c -> c.done() > killed && (!c.answered() || c.millis() > slow))
            .toList();
    long window = hurt.stream().mapToLong(c -> c.done() - killed).max().orElse(0) / 1_000_000;
    System.out.printf(
        "leader broker killed: %d calls, %d answered, %d failed, 0 lost, 0 answered twice;"
            + " %d calls failed or slower than %d ms (median before %d ms), the last %d ms after"
            + " the kill; slowest %d ms%n",
        calls.size(),
        SteadyLoad.answeredIds(calls).size(),
        calls.stream().filter(c -> !c.answered()).count(),
        hurt.size(),
        slow,
        median,
        window,
        calls.stream().mapToLong(Call::millis).max().orElse(0));
  }

  @Test
  @Order(3)
  void rollingRestartOfProcessorsAndAuditSinkLosesAndDuplicatesNoAuditRecord() throws Exception {
    SteadyLoad load = new SteadyLoad("rr", gateways, 2, DEADLINE);
    await().atMost(Duration.ofSeconds(60)).until(() -> load.answeredCount() >= 10);
    long begun = System.nanoTime();
    // Processors: the new instance joins the Streams group before the old one leaves.
    KaskadeProcess oldProcessors = processors;
    processors = start("processors");
    assertThat(processors.awaitLine(UpCommand.READY_LINE, START)).isTrue();
    assertThat(oldProcessors.terminate(Duration.ofSeconds(60))).isPositive();
    // The audit sink owns its store directory: stopped, then started on the same data.
    assertThat(auditSink.terminate(Duration.ofSeconds(60))).isPositive();
    auditSink = startAuditSink();
    assertThat(auditSink.awaitLine(UpCommand.READY_LINE, START)).isTrue();
    double restartSeconds = (System.nanoTime() - begun) / 1e9;
    Thread.sleep(3_000);
    List<Call> calls = load.stop();

    assertAnsweredOrTimedOutByDeadline(calls);
    List<String> answered = SteadyLoad.answeredIds(calls);
    assertThat(answered).doesNotHaveDuplicates();
    Map<String, Long> audited = awaitAudited(answered, "rr-");
    assertThat(audited.keySet()).containsAll(answered);
    assertThat(audited).allSatisfy((id, times) -> assertThat(times).as(id).isOne());
    System.out.printf(
        "rolling restart (processors, then audit sink, %.1f s): %d calls, %d answered, %d audit"
            + " records of them, 0 lost, 0 duplicated%n",
        restartSeconds, calls.size(), answered.size(), audited.size());
  }

  @Test
  @Order(4)
  void gatewayKilledMinus9FailsItsInFlightCallsFastAndTheOtherGatewaysCallsNot() throws Exception {
    SteadyLoad load = new SteadyLoad("gk", gateways, 2, DEADLINE);
    await().atMost(Duration.ofSeconds(60)).until(() -> load.answeredCount() >= 10);
    long killed = System.nanoTime();
    firstGateway.kill();
    Thread.sleep(8_000);
    List<Call> calls = load.stop();

    List<Call> dead =
        calls.stream().filter(c -> c.gateway() == gateways[0] && c.done() > killed).toList();
    List<Call> other = calls.stream().filter(c -> c.gateway() == gateways[1]).toList();
    assertThat(dead).isNotEmpty().allSatisfy(c -> assertThat(c.answered()).isFalse());
    long slowestFailure =
        dead.stream().mapToLong(c -> c.done() - Math.max(c.sent(), killed)).max().orElse(0)
            / 1_000_000;
    assertThat(slowestFailure).as("fails fast, not at its deadline").isLessThan(2_000);
    assertThat(other)
        .as("the other gateway's calls")
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.status()).as(c.toString()).isEqualTo(200));
    System.out.printf(
        "gateway killed -9: %d calls of its clients after the kill failed, the slowest %d ms after"
            + " the kill (in flight: %d); the other gateway: %d calls, 0 errors, median %d ms%n",
        dead.size(),
        slowestFailure,
        dead.stream().filter(c -> c.sent() < killed).count(),
        other.size(),
        SteadyLoad.medianMillisBefore(other, Long.MAX_VALUE));
  }

  private void assertAnsweredOrTimedOutByDeadline(Collection<Call> calls) {
    assertThat(calls)
        .allSatisfy(
            call -> {
              assertThat(call.status()).as(call.toString()).isIn(200, SteadyLoad.TIMED_OUT);
              if (call.status() == SteadyLoad.TIMED_OUT) {
                assertThat(call.millis())
                    .as("timed out by its deadline: %s", call)
                    .isLessThan(DEADLINE.plusSeconds(2).toMillis());
              }
            });
  }

  private Call coldCall(int port, String id) {
    long sent = System.nanoTime();
    int status;
    try {
      status =
          iris.infer(port, COLD, id, Duration.ofSeconds(70), Duration.ofSeconds(60)).statusCode();
    } catch (Exception e) {
      status = SteadyLoad.NO_ANSWER;
    }
    return new Call(id, port, sent, System.nanoTime(), status);
  }

  /** Members of the min-0 revision's worker group (0 while it is scaled to zero). */
  private int coldWorkerMembers() throws Exception {
    List<String> groups =
        admin.listGroups().all().get(10, TimeUnit.SECONDS).stream()
            .map(g -> g.groupId())
            .filter(g -> g.startsWith("kaskade-worker-default-" + COLD + "-"))
            .toList();
    return admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS).values().stream()
        .mapToInt(g -> g.members().size())
        .sum();
  }

  private String predictorTopic(String isvc) throws Exception {
    String prefix = "kaskade.default." + isvc + ".predictor.";
    return admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
        .filter(t -> t.startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  private String minInsyncReplicas(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin
        .describeConfigs(List.of(resource))
        .all()
        .get(10, TimeUnit.SECONDS)
        .get(resource)
        .get("min.insync.replicas")
        .value();
  }

  /** Iris twice: as in the demo, and as {@value #COLD} with {@code minReplicas: 0}. */
  private Path manifests() throws Exception {
    Path demo = DemoModel.manifestDir(workDir.resolve("demo"));
    Path dir = Files.createDirectories(workDir.resolve("manifests"));
    Files.copy(demo.resolve("model.onnx"), dir.resolve("model.onnx"));
    String isvc = Files.readString(demo.resolve("isvc.yaml"));
    Files.writeString(dir.resolve("isvc.yaml"), isvc);
    Files.writeString(
        dir.resolve("iris0.yaml"),
        isvc.replace("name: iris\n", "name: " + COLD + "\n")
            .replace("  predictor:\n", "  predictor:\n    minReplicas: 0\n"));
    return dir;
  }

  /** Waits until every answered id is audited; how often each audited id of the phase appears. */
  private Map<String, Long> awaitAudited(List<String> answered, String prefix) {
    List<String> ids = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              ids.clear();
              KaskadeProcess.auditRecords(workDir, auditDir, "iris", Duration.ofSeconds(60))
                  .forEach(r -> ids.add(r.get("id").asText()));
              return ids.containsAll(answered);
            });
    return ids.stream()
        .filter(id -> id.startsWith(prefix))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private KaskadeProcess startGateway(int port) throws Exception {
    return start("gateway", "--http-port", Integer.toString(port), "--grpc-port", "-1");
  }

  private KaskadeProcess startAuditSink() throws Exception {
    // Outside `up` the sink only creates its signing key when told to (a cluster mounts one).
    return start(
        "audit-sink", "--data-dir", auditDir.toString(), "--set", "audit.signing.generate=true");
  }

  private KaskadeProcess start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(args));
    command.addAll(1, List.of(cluster));
    if (!command.contains("--data-dir")) {
      command.addAll(List.of("--data-dir", workDir.resolve("p" + processes.size()).toString()));
    }
    KaskadeProcess process =
        KaskadeProcess.start(
                workDir, Map.of("JAVA_TOOL_OPTIONS", "-Xmx384m"), command.toArray(String[]::new))
            .logTo(LOGS.resolve(processes.size() + "-" + args[0] + ".log"));
    processes.add(process);
    return process;
  }
}
