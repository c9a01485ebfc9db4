package dev.kaskade.loadtests.product;

import dev.kaskade.loadtests.gateway.GatewayGrpc;
import dev.kaskade.loadtests.gateway.GatewayHttp;
import dev.kaskade.loadtests.gateway.IrisPayloads;
import dev.kaskade.loadtests.harness.LatencyRecorder;
import dev.kaskade.loadtests.harness.OpenLoop;
import dev.kaskade.loadtests.kafka.KafkaHopBenchmark;
import dev.kaskade.loadtests.kafka.KafkaHopClient;
import dev.kaskade.loadtests.workers.AsyncClient;
import dev.kaskade.loadtests.workers.AsyncThroughputBenchmark;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.LoadPhase;
import dev.kaskade.loadtests.workers.Testbed;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.topic.Topics;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The product benchmark's load generator, a JVM of its own: drives one target ({@code --target
 * kaskade|direct|floor}) and appends a {@link StepResult} line per step to {@code --out}. Per
 * protocol: a closed-loop warm-up, open loop at each of {@code --rates} (latency from the intended
 * send time, {@link OpenLoop}), then closed loop with {@code --connections}; after every protocol,
 * V2 REST once more with {@code --peak-connections}. Async: closed loop with {@code --outstanding}
 * requests through the requests topic, as docs/async-inference.md shows. Against Kaskade, a {@code
 * --pipeline-warmup} of every HTTP and gRPC protocol to be measured comes first: the first protocol
 * measured would otherwise pay the whole pipeline's JIT warm-up (workers, payload logger, audit
 * sink), and each later one its own code's, which the per-protocol warm-up is too short to cover.
 * Against Kaskade, every measured step also starts with the audit caught up ({@code
 * --audit-settle}, {@link AuditSettle}).
 */
public final class LoadTool {
  static final String MODEL = "iris";

  /** The protocols that also get a closed loop at {@code --peak-connections}. */
  static final Set<String> PEAK_PROTOCOLS = Set.of("v2");

  private final BenchArgs args;
  private final List<Integer> rates;
  private final Duration duration;
  private final Duration warmup;
  private final Path out;
  private final String run = Long.toString(System.nanoTime(), 36);
  private AuditSettle settle = AuditSettle.NONE;

  private LoadTool(BenchArgs args) {
    this.args = args;
    this.rates = ProductBenchmark.rates(args.string("rates", "100,1000"));
    this.duration = args.duration("duration", Duration.ofSeconds(15));
    this.warmup = args.duration("warmup", Duration.ofSeconds(5));
    this.out = Path.of(args.string("out", "target/product-benchmark/results.tsv"));
  }

  public static void main(String[] argv) throws Exception {
    Testbed.quietLogs();
    LoadTool tool = new LoadTool(new BenchArgs(argv));
    String target = tool.args.string("target", "kaskade");
    switch (target) {
      case "floor" -> tool.floor(tool.args.string("bootstrap", "127.0.0.1:9092"));
      case "direct" -> tool.http("direct", List.of("v2"));
      case "kaskade" -> tool.kaskade();
      default -> throw new IllegalArgumentException("--target kaskade|direct|floor, got " + target);
    }
    System.exit(0); // Vert.x and Kafka client threads are not all daemons
  }

  private void floor(String bootstrap) throws Exception {
    for (int rate : rates) {
      System.err.printf("floor: Kafka round trip at %d msg/s for %s%n", rate, duration);
      LatencyRecorder latency = KafkaHopBenchmark.measure(bootstrap, rate, warmup, duration);
      write(StepResult.of("floor", "kafka", "open", rate, latency, duration.toMillis() / 1e3));
    }
    int connections = args.integer("connections", 64);
    System.err.printf("floor: Kafka round trip, closed loop, %d in flight%n", connections);
    try (KafkaHopClient hops = new KafkaHopClient(bootstrap)) {
      hops.awaitEcho(Duration.ofMinutes(2));
      OpenLoop.closedLoop(connections, warmup, new LatencyRecorder(), hops::call);
      LatencyRecorder latency = new LatencyRecorder();
      double perSecond = OpenLoop.closedLoop(connections, duration, latency, hops::call);
      write(
          withRate(StepResult.of("floor", "kafka", "closed", connections, latency, 1), perSecond));
    }
  }

  private void kaskade() throws Exception {
    List<String> protocols =
        List.of(args.string("protocols", "v1,v2,v2-binary,grpc,async").split(","));
    int connections = args.integer("connections", 64);
    try (GatewayHttp http =
            new GatewayHttp(args.integer("http-port", 8080), httpPoolSize(connections));
        GatewayGrpc grpc = new GatewayGrpc(args.integer("grpc-port", 8081), MODEL);
        Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    args.string("bootstrap", "127.0.0.1:9092")))) {
      settle = new AuditSettle(admin, args.duration("audit-settle", Duration.ofSeconds(120)));
      http.awaitOk("/v2/models/" + MODEL + "/ready", Duration.ofMinutes(3));
      Map<String, LongFunction<CompletableFuture<?>>> calls = new LinkedHashMap<>();
      for (String protocol : protocols) {
        if (protocol.startsWith("v")) {
          calls.put(protocol, httpCall(http, protocol));
        } else if (protocol.equals("grpc")) {
          calls.put(protocol, i -> grpc.infer(run + "-g" + i, i));
        }
      }
      warmUpPipeline(args.duration("pipeline-warmup", Duration.ofSeconds(40)), calls);
      for (var protocol : calls.entrySet()) {
        steps("kaskade", protocol.getKey(), protocol.getValue());
      }
      peakSteps("kaskade", calls);
      if (protocols.contains("async")) {
        async();
      }
    }
  }

  /**
   * Closed loops of every protocol to be measured, in turn, an equal share of the time each,
   * measuring nothing: the whole pipeline's JIT warm-up (workers, payload logger, audit sink,
   * broker) and each protocol's own code paths in the gateway and in this client. Without it the
   * first protocol paid the pipeline's warm-up, and gRPC, measured after the REST protocols, its
   * own (docs/performance.md, "What was looked at").
   */
  private void warmUpPipeline(Duration time, Map<String, LongFunction<CompletableFuture<?>>> calls)
      throws Exception {
    if (time.isZero() || calls.isEmpty()) {
      return;
    }
    Duration each = time.dividedBy(calls.size());
    for (var protocol : calls.entrySet()) {
      System.err.printf(
          "kaskade: warming up the pipeline with %s for %s%n", protocol.getKey(), each);
      OpenLoop.closedLoop(16, each, new LatencyRecorder(), protocol.getValue());
    }
  }

  /** REST protocols ({@code v2} for the direct server) against {@code --http-port}. */
  private void http(String target, List<String> protocols) throws Exception {
    int connections = args.integer("connections", 64);
    try (GatewayHttp http =
        new GatewayHttp(args.integer("http-port", 8080), httpPoolSize(connections))) {
      http.awaitOk("/v2/models/" + MODEL + "/ready", Duration.ofMinutes(3));
      Map<String, LongFunction<CompletableFuture<?>>> calls = new LinkedHashMap<>();
      for (String protocol : protocols) {
        calls.put(protocol, httpCall(http, protocol));
        steps(target, protocol, calls.get(protocol));
      }
      peakSteps(target, calls);
    }
  }

  private LongFunction<CompletableFuture<?>> httpCall(GatewayHttp http, String protocol) {
    String v2 = "/v2/models/" + MODEL + "/infer";
    return switch (protocol) {
      case "v1" -> i -> http.post("/v1/models/" + MODEL + ":predict", IrisPayloads.v1(i));
      case "v2" -> i -> http.post(v2, IrisPayloads.v2(run + "-" + i, i));
      case "v2-binary" ->
          i -> {
            String id = run + "-b" + i;
            return http.post(
                v2,
                Buffer.buffer(IrisPayloads.v2Binary(id, i)),
                Map.of(
                    "content-type",
                    "application/octet-stream",
                    "Inference-Header-Content-Length",
                    Integer.toString(IrisPayloads.binaryHeaderLength(id))));
          };
      default -> throw new IllegalArgumentException("unknown protocol " + protocol);
    };
  }

  /** Warm-up, open loop at every rate, closed loop. */
  private void steps(String target, String protocol, LongFunction<CompletableFuture<?>> call)
      throws Exception {
    System.err.printf("%s %s: warming up %s%n", target, protocol, warmup);
    OpenLoop.closedLoop(16, warmup, new LatencyRecorder(), call);
    double seconds = duration.toMillis() / 1e3;
    for (int rate : rates) {
      System.err.printf("%s %s: open loop %d req/s for %s%n", target, protocol, rate, duration);
      settle(protocol, "open", rate);
      LatencyRecorder latency = new LatencyRecorder();
      OpenLoop.run(rate, duration, 10_000, latency, call);
      write(StepResult.of(target, protocol, "open", rate, latency, seconds));
    }
    int connections = args.integer("connections", 64);
    closedLoop(target, protocol, call, connections);
  }

  /**
   * The closed loops at {@code --peak-connections}, after every other step of the target: one runs
   * ~10,000 calls a second through {@code kaskade up}, whose audit backlog would otherwise slow the
   * steps after it while the payload logger catches up.
   */
  private void peakSteps(String target, Map<String, LongFunction<CompletableFuture<?>>> calls)
      throws Exception {
    int peak = peakConnections();
    if (peak <= args.integer("connections", 64)) {
      return;
    }
    for (var protocol : calls.entrySet()) {
      if (PEAK_PROTOCOLS.contains(protocol.getKey())) {
        closedLoop(target, protocol.getKey(), protocol.getValue(), peak);
      }
    }
  }

  private void closedLoop(
      String target, String protocol, LongFunction<CompletableFuture<?>> call, int connections)
      throws Exception {
    settle(protocol, "closed", connections);
    System.err.printf("%s %s: closed loop, %d connections%n", target, protocol, connections);
    LatencyRecorder latency = new LatencyRecorder();
    double perSecond = OpenLoop.closedLoop(connections, duration, latency, call);
    write(withRate(StepResult.of(target, protocol, "closed", connections, latency, 1), perSecond));
  }

  /** HTTP connections the client may open: enough for the widest closed loop, at least 256. */
  private int httpPoolSize(int connections) {
    return Math.max(Math.max(connections, peakConnections()), 256);
  }

  /**
   * A second closed loop with more calls in flight ({@code --peak-connections}, 0 for none), for
   * the protocol the throughput goal is checked on, against Kaskade and the direct server alike: a
   * pipeline of more stages needs more calls in flight to reach its most (Little's law), and the
   * goal compares each target's best (docs/performance.md, change 19).
   */
  private int peakConnections() {
    return args.integer("peak-connections", 0);
  }

  private void async() throws Exception {
    Topics topics = new Topics(Topics.DEFAULT_PREFIX);
    String requests = topics.requests(Testbed.NAMESPACE, MODEL);
    int outstanding = args.integer("outstanding", 1000);
    try (AsyncClient client =
        new AsyncClient(
            args.string("bootstrap", "127.0.0.1:9092"),
            new HttpSchemaRegistryClient(args.string("registry", "http://127.0.0.1:8085")),
            topics.responses(Testbed.NAMESPACE, MODEL),
            "product-bench-" + run,
            Map.of(),
            Duration.ofSeconds(30))) {
      LoadPhase.awaitReady(
          client,
          requests,
          AsyncThroughputBenchmark.request(run + "-probe", 0),
          Duration.ofMinutes(2));
      settle("async", "closed", outstanding);
      System.err.printf("kaskade async: closed loop, %d outstanding%n", outstanding);
      LoadPhase.Result result =
          LoadPhase.run(
              client,
              requests,
              outstanding,
              warmup,
              duration,
              i -> AsyncThroughputBenchmark.request(run + "-a" + i, i));
      write(
          withRate(
              StepResult.of("kaskade", "async", "closed", outstanding, result.latency(), 1),
              result.perSecond()));
    }
  }

  static StepResult withRate(StepResult s, double perSecond) {
    return new StepResult(
        s.target(),
        s.protocol(),
        s.mode(),
        s.load(),
        s.p50(),
        s.p90(),
        s.p99(),
        s.max(),
        perSecond,
        s.count(),
        s.errors());
  }

  /**
   * Waits until the audit path has caught up with the steps before (their backlog would otherwise
   * take the cores from this one), and records the backlog found and the wait.
   */
  private void settle(String protocol, String mode, int load) throws Exception {
    AuditSettle.Waited waited = settle.await();
    if (waited != null) {
      String step = AuditSettle.stepKey(protocol, mode, load);
      System.err.printf(
          "  audit backlog %d records, caught up in %.1f s%n", waited.backlog(), waited.seconds());
      append(
          out,
          List.of(
              RunResults.metricLine(RunResults.STEP_AUDIT_BACKLOG + step, waited.backlog()),
              RunResults.metricLine(RunResults.STEP_AUDIT_SETTLE_S + step, waited.seconds())));
    }
  }

  private void write(StepResult step) throws IOException {
    System.err.println("  " + step.toLine().replace('\t', ' '));
    append(out, List.of(step.toLine()));
  }

  static void append(Path file, List<String> lines) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.write(file, new ArrayList<>(lines), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
