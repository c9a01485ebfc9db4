package dev.kaskade.loadtests.product;

import dev.kaskade.loadtests.harness.MachineInfo;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Issue #15's benchmark of the product as shipped. Starts, one after the other and each in its own
 * process: the embedded broker alone (cold start, then the Kafka floor measured against it), the
 * direct server (Vert.x + ONNX Runtime), the worker alone on a pre-filled predictor topic, and
 * {@code ./kaskade up} exactly as a user starts it (cold start to "Kaskade ready", idle CPU,
 * threads, memory, then V1, V2, V2 binary, gRPC and async load). Every load comes from {@link
 * LoadTool} in a JVM of its own. Writes the results, the goals as PASS/FAIL and the charts. Run it
 * with {@code load-tests/product-benchmark.sh} (see load-tests/README.md).
 */
public final class ProductBenchmark {
  /** The baselines' JVMs get the launcher's flags (./kaskade), less its start-up cache. */
  private static final List<String> JVM_FLAGS =
      List.of(
          "-XX:+UseParallelGC",
          "-Xmx448m",
          "-XX:MaxHeapFreeRatio=40",
          "--enable-native-access=ALL-UNNAMED");

  private final BenchArgs args;
  private final Path repo;
  private final Path work;
  private final Path results;
  private final int basePort;
  private final List<Child> running = new ArrayList<>();

  private ProductBenchmark(BenchArgs args) {
    this.args = args;
    this.repo = Path.of(args.string("repo", ".")).toAbsolutePath().normalize();
    this.work = repo.resolve(args.string("work", "load-tests/target/product-benchmark"));
    this.results = work.resolve("results.tsv");
    this.basePort = args.integer("base-port", 18000);
  }

  public static void main(String[] argv) throws Exception {
    ProductBenchmark bench = new ProductBenchmark(new BenchArgs(argv));
    Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
    try {
      bench.run();
    } finally {
      bench.stopAll();
    }
    System.exit(0);
  }

  static List<Integer> rates(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  private void run() throws Exception {
    Files.createDirectories(work);
    if (!args.string("keep-results", "false").equals("true")) {
      Files.deleteIfExists(results);
    }
    String loadBefore = MachineInfo.loadAverage();
    List<String> parts = List.of(args.string("parts", "broker,direct,worker,kaskade").split(","));
    part(parts, "broker", this::brokerAndFloor);
    part(parts, "direct", this::direct);
    part(
        parts,
        "worker",
        () ->
            start(
                    "worker-floor",
                    java(
                        "WorkerFloor",
                        "--requests",
                        args.string("worker-requests", "50000"),
                        "--out",
                        results.toString()),
                    null)
                .awaitExit(Duration.ofMinutes(6)));
    part(parts, "kaskade", this::kaskade);
    RunResults measured = RunResults.read(results);
    List<Integer> rates = rates(args.string("rates", "100,1000"));
    List<Goals.Check> goals = Goals.evaluate(measured, rates);
    Path outDir = repo.resolve(args.string("out-dir", "docs/benchmarks"));
    List<Path> charts = Charts.write(measured, outDir);
    String markdown =
        Report.markdown(
            measured,
            goals,
            args.string("command", "load-tests/product-benchmark.sh"),
            MachineInfo.describe(),
            loadBefore + " before, " + MachineInfo.loadAverage() + " after",
            settings(),
            charts.stream().map(p -> p.getFileName().toString()).toList());
    Path report = outDir.resolve("product-benchmark.md");
    Files.writeString(report, markdown);
    System.out.println(markdown);
    System.err.println("wrote " + report + " and " + charts);
  }

  private interface Part {
    void run() throws Exception;
  }

  /** Runs one part if asked for; a failed part is reported and the others still run. */
  private void part(List<String> parts, String name, Part part) {
    if (!parts.contains(name)) {
      return;
    }
    try {
      part.run();
    } catch (Exception e) {
      System.err.println("part " + name + " failed (its goals show as not measured): " + e);
    }
  }

  private void brokerAndFloor() throws Exception {
    Path dir = tempDir("broker");
    int port = basePort + 10;
    try (Child broker =
        start(
            "broker",
            javaWith(
                JVM_FLAGS,
                "BrokerColdStart",
                "--dir",
                dir.toString(),
                "--port",
                Integer.toString(port)),
            BrokerColdStart.READY)) {
      metric(RunResults.BROKER_READY_MS, broker.awaitReadyMillis(Duration.ofMinutes(2)));
      load("floor", "--bootstrap", "127.0.0.1:" + port);
    } finally {
      deleteTree(dir);
    }
  }

  private void direct() throws Exception {
    int port = basePort + 20;
    try (Child server =
        start(
            "direct-server",
            javaWith(JVM_FLAGS, "DirectServer", "--port", Integer.toString(port)),
            DirectServer.READY)) {
      server.awaitReadyMillis(Duration.ofMinutes(1));
      load("direct", "--http-port", Integer.toString(port));
      hey("direct", port);
    }
  }

  private void kaskade() throws Exception {
    Path dataDir = tempDir("up");
    List<String> up =
        List.of(
            "./kaskade",
            "up",
            "--data-dir",
            dataDir.toString(),
            "--http-port",
            port(0),
            "--grpc-port",
            port(1),
            "--kafka-port",
            port(2),
            "--registry-port",
            port(3));
    // ./kaskade rebuilds when sources are newer than its jar, and trains its start-up cache once
    // per build (docs/performance.md, "Start-up"): both happen here, untimed, as they do on a
    // user's first `up` after an install; the timed start below is still cold (fresh data dir).
    Path firstDataDir = tempDir("first-up");
    List<String> firstUp = new ArrayList<>(up);
    firstUp.set(firstUp.indexOf(dataDir.toString()), firstDataDir.toString());
    firstUp.add("--exit-when-ready");
    start("kaskade-first-up", firstUp, null).awaitExit(Duration.ofMinutes(20));
    deleteTree(firstDataDir);
    try (Child kaskade = start("kaskade-up", up, "Kaskade ready")) {
      metric(RunResults.READY_MS, kaskade.awaitReadyMillis(Duration.ofMinutes(5)));
      Duration idle = args.duration("idle", Duration.ofSeconds(20));
      ProcStats before = ProcStats.of(kaskade.pid());
      Thread.sleep(idle.toMillis());
      ProcStats after = ProcStats.of(kaskade.pid());
      metric(
          RunResults.IDLE_CPU_PCT,
          ProcStats.cpuPercentOfOneCore(before, after, idle.toMillis() / 1e3));
      metric(RunResults.IDLE_THREADS, after.threads());
      metric(RunResults.IDLE_RSS, after.rssBytes());
      // Again once the start-up's JIT and the demo models' warm-up are over, still before any
      // load: after the load the audit sink and payload logger are still draining its backlog.
      Thread.sleep(args.duration("settle", Duration.ofSeconds(120)).toMillis());
      ProcStats quiet = ProcStats.of(kaskade.pid());
      long jitBefore = ProcStats.jitTicks(kaskade.pid());
      Thread.sleep(idle.toMillis());
      long jitTicks = ProcStats.jitTicks(kaskade.pid()) - jitBefore;
      metric(
          RunResults.SETTLED_IDLE_CPU_PCT,
          ProcStats.cpuPercentOfOneCore(quiet, ProcStats.of(kaskade.pid()), idle.toMillis() / 1e3));
      metric(
          RunResults.SETTLED_IDLE_JIT_PCT,
          100.0 * jitTicks / ProcStats.TICKS_PER_SECOND / (idle.toMillis() / 1e3));
      recordsPerInference();
      load(
          "kaskade",
          "--http-port",
          port(0),
          "--grpc-port",
          port(1),
          "--bootstrap",
          "127.0.0.1:" + port(2),
          "--registry",
          "http://127.0.0.1:" + port(3),
          "--protocols",
          args.string("protocols", "v1,v2,v2-binary,grpc,async"),
          "--outstanding",
          args.string("outstanding", "1000"),
          "--pipeline-warmup",
          args.string("pipeline-warmup", "40s"),
          "--audit-settle",
          args.string("audit-settle", "120s"));
      hey("kaskade", Integer.parseInt(port(0)));
      ProcStats loaded = ProcStats.of(kaskade.pid());
      metric(RunResults.LOADED_THREADS, loaded.threads());
      metric(RunResults.LOADED_RSS, loaded.rssBytes());
      auditCatchUp("127.0.0.1:" + port(2));
      auditOutcomes("127.0.0.1:" + port(2), "http://127.0.0.1:" + port(3));
    } finally {
      deleteTree(dataDir);
    }
  }

  /**
   * What the audit path still had to do when the load ended, and how long it took: the payload
   * logger and the sink yield the cores to the calls (BackgroundPriority), so this is where the
   * closed loops' audit work shows.
   */
  /** Whether the audit kept every call's request and response together (AuditOutcomes). */
  private void auditOutcomes(String bootstrap, String registry) throws Exception {
    var outcomes = AuditOutcomes.count(bootstrap, new HttpSchemaRegistryClient(registry));
    System.err.println("audit records by outcome: " + outcomes);
    metric(RunResults.AUDIT_RECORDS, outcomes.values().stream().mapToLong(Long::longValue).sum());
    metric(RunResults.AUDIT_UNPAIRED, AuditOutcomes.unpaired(outcomes));
  }

  private void auditCatchUp(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      metric(RunResults.AUDIT_BACKLOG, AuditBacklog.records(admin));
      metric(
          RunResults.AUDIT_CATCH_UP_S,
          AuditBacklog.secondsToCatchUp(admin, 0, Duration.ofMinutes(5)));
    }
  }

  /**
   * Records written to the broker per V2 call ({@link RecordsPerInference}), in a JVM of its own,
   * before the timed load: a count the box's noise does not change.
   */
  private void recordsPerInference() throws Exception {
    List<String> command =
        java(
            "RecordsPerInference",
            "--bootstrap",
            "127.0.0.1:" + port(2),
            "--http-port",
            port(0),
            "--calls",
            args.string("count-calls", "5000"),
            "--out",
            results.toString());
    try (Child tool = start("records-per-inference", command, null)) {
      int code = tool.awaitExit(Duration.ofMinutes(5));
      if (code != 0) {
        System.err.println("records per inference exited with " + code + "; see " + tool.log());
      }
    }
  }

  /** Runs the load tool against one target in its own JVM and waits for it. */
  private void load(String target, String... targetArgs) throws Exception {
    List<String> command =
        new ArrayList<>(
            java(
                "LoadTool",
                "--target",
                target,
                "--rates",
                args.string("rates", "100,1000"),
                "--duration",
                args.string("duration", "15s"),
                "--warmup",
                args.string("warmup", "5s"),
                "--connections",
                args.string("connections", "64"),
                "--peak-connections",
                args.string("peak-connections", "256"),
                "--out",
                results.toString()));
    command.addAll(List.of(targetArgs));
    try (Child tool = start("load-" + target, command, null)) {
      int code = tool.awaitExit(Duration.ofMinutes(20));
      if (code != 0) {
        System.err.println(
            "load tool for " + target + " exited with " + code + "; see " + tool.log());
      }
    }
  }

  /**
   * The V2 REST closed loop once more with {@code hey}, where it is installed ({@link HeyLoad}).
   */
  private void hey(String target, int httpPort) throws Exception {
    if (!HeyLoad.available()) {
      System.err.println("hey is not on the PATH: the " + target + " hey step is skipped");
      return;
    }
    Path body = work.resolve("iris-v2.json");
    Files.writeString(body, HeyLoad.V2_BODY);
    int connections = args.integer("connections", 64);
    Duration duration = args.duration("duration", Duration.ofSeconds(15));
    String url = "http://127.0.0.1:" + httpPort + "/v2/models/iris/infer";
    Child hey = start("hey-" + target, HeyLoad.command(url, body, connections, duration), null);
    String report = hey.awaitOutput(duration.plusMinutes(2));
    Optional<StepResult> step = HeyLoad.parse(target, connections, report);
    if (step.isEmpty()) {
      System.err.println("hey gave no summary for " + target + "; see " + hey.log());
      return;
    }
    LoadTool.append(results, List.of(step.get().toLine()));
  }

  private List<String> java(String main, String... mainArgs) {
    return javaWith(List.of("-Xmx1g", "--enable-native-access=ALL-UNNAMED"), main, mainArgs);
  }

  /** A JVM on this JVM's class path (a manifest jar: see product-benchmark.sh). */
  private List<String> javaWith(List<String> flags, String main, String... mainArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ProductBenchmark.class.getPackageName() + "." + main);
    command.addAll(List.of(mainArgs));
    return command;
  }

  private Child start(String name, List<String> command, String readyText) throws IOException {
    Child child = Child.start(name, command, repo, work.resolve("logs"), readyText);
    running.add(child);
    return child;
  }

  private void stopAll() {
    for (Child child : running.reversed()) {
      child.close();
    }
  }

  private String port(int offset) {
    return Integer.toString(basePort + offset);
  }

  private void metric(String name, double value) throws IOException {
    System.err.printf("  %s = %.1f%n", name, value);
    LoadTool.append(results, List.of(RunResults.metricLine(name, value)));
  }

  private List<String> settings() {
    return List.of(
        "rates "
            + args.string("rates", "100,1000")
            + " req/s open loop, "
            + args.string("duration", "15s")
            + " per step after a "
            + args.string("warmup", "5s")
            + " closed-loop warm-up per protocol (against `kaskade up`, first "
            + args.string("pipeline-warmup", "40s")
            + " of closed-loop calls of every protocol measured, an equal share each)",
        "closed loop "
            + args.string("connections", "64")
            + " connections (HTTP/gRPC; V2 REST, and the direct server, also "
            + args.string("peak-connections", "256")
            + "), async "
            + args.string("outstanding", "1000")
            + " outstanding",
        "against `kaskade up`, each measured step starts once the audit has caught up with the"
            + " steps before (at most "
            + args.string("audit-settle", "120s")
            + ")",
        "idle CPU over "
            + args.string("idle", "20s")
            + " right after `Kaskade ready`, and again "
            + args.string("settle", "120s")
            + " later, before the load (the goal's figure)",
        "worker baseline: " + args.string("worker-requests", "50000") + " requests pre-filled");
  }

  private Path tempDir(String what) throws IOException {
    return Files.createTempDirectory(args.string("tmp-prefix", "kaskade-product-bench-") + what);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: it is a temporary directory
    }
  }
}
