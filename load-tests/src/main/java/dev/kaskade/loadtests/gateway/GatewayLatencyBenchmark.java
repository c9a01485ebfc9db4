package dev.kaskade.loadtests.gateway;

import dev.kaskade.gateway.GatewayComponent;
import dev.kaskade.loadtests.harness.LatencyRecorder;
import dev.kaskade.loadtests.harness.OpenLoop;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.BenchReport;
import dev.kaskade.loadtests.workers.Testbed;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.workers.WorkerComponent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Issue 4: iris through the real {@link GatewayComponent} (Vert.x, Kafka request/reply bridge) and
 * the real {@link WorkerComponent} (ONNX Runtime), on an embedded broker with the embedded schema
 * registry, all in one JVM.
 *
 * <ol>
 *   <li>Latency, open loop (no coordinated omission: measured from each request's intended start)
 *       at each {@code --rates} value over Open Inference Protocol REST (keep-alive Vert.x client)
 *       and gRPC (the gateway's generated Vert.x gRPC client), {@code --duration} each. Next to it
 *       the worker's own {@code compute_time_us} for the same request ids (read from {@code
 *       kaskade.default.iris.responses}), and per request "overhead" = client latency − compute
 *       time = gateway + Kafka round trip + worker plumbing. Goal: overhead p50 ≤ 2 ms, p99 ≤ 8 ms.
 *   <li>Max sustained throughput over REST: closed loop with {@code --concurrency} callers for
 *       {@code --throughput-duration}; req/s and errors (non-200, failures). Goal ≥ 5,000 req/s, 0
 *       errors.
 * </ol>
 *
 * <p>Options: {@code --rates 100,1000 --duration 15s --warmup 20s --rounds 2 --protocols rest,grpc
 * --concurrency 128 --throughput-duration 15s}.
 *
 * <pre>
 * ./mvnw -q -B -pl load-tests compile exec:java \
 *   -Dexec.mainClass=dev.kaskade.loadtests.gateway.GatewayLatencyBenchmark \
 *   -Dexec.args="--duration 15s" -Dbench.out=target/benchmarks.md
 * </pre>
 */
public final class GatewayLatencyBenchmark {
  static final String MODEL = "iris";

  private GatewayLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs options = new BenchArgs(args);
    Duration duration = options.duration("duration", Duration.ofSeconds(15));
    Duration warmup = options.duration("warmup", Duration.ofSeconds(20));
    int rounds = options.integer("rounds", 2);
    Duration throughputDuration = options.duration("throughput-duration", Duration.ofSeconds(15));
    int concurrency = options.integer("concurrency", 128);
    List<Integer> rates = new ArrayList<>();
    for (String r : options.string("rates", "100,1000").split(",")) {
      rates.add(Integer.parseInt(r.trim()));
    }
    List<String> protocols = List.of(options.string("protocols", "rest,grpc").split(","));

    String loadAtStart = dev.kaskade.loadtests.harness.MachineInfo.loadAverage();
    try (Testbed bed = Testbed.start(settings());
        WorkerComponent worker = new WorkerComponent(bed.ctx(), new SimpleMeterRegistry());
        GatewayComponent gateway = new GatewayComponent(bed.ctx())) {
      worker.start();
      String revision = bed.deployInferenceService(MODEL, Testbed.exampleModel(MODEL), null);
      gateway.start();
      String run = Long.toString(System.nanoTime(), 36);
      try (GatewayHttp http = new GatewayHttp(gateway.httpPort(), Math.max(concurrency, 256));
          GatewayGrpc grpc = new GatewayGrpc(gateway.grpcPort(), MODEL);
          WorkerTimes times =
              new WorkerTimes(
                  bed.bootstrap(),
                  bed.registry(),
                  bed.ctx().topics().responses(Testbed.NAMESPACE, MODEL))) {
        System.err.println("waiting for iris to be ready behind the gateway …");
        http.awaitOk("/v2/models/" + MODEL + "/ready", Duration.ofMinutes(2));
        LongFunction<CompletableFuture<?>> rest =
            i -> http.post("/v2/models/" + MODEL + "/infer", IrisPayloads.v2(run + "-w" + i, i));
        LongFunction<CompletableFuture<?>> grpcCall = i -> grpc.infer(run + "-wg" + i, i);
        System.err.printf("warming up %s (REST and gRPC)%n", warmup);
        OpenLoop.closedLoop(16, warmup, new LatencyRecorder(), rest);
        OpenLoop.closedLoop(16, warmup, new LatencyRecorder(), grpcCall);

        String command =
            "./mvnw -q -B -pl load-tests compile exec:java"
                + " -Dexec.mainClass=dev.kaskade.loadtests.gateway.GatewayLatencyBenchmark"
                + " -Dexec.args=\""
                + String.join(" ", args)
                + "\"";
        BenchReport report =
            new BenchReport(
                "Gateway latency and throughput: iris via the gateway (REST, gRPC)", command);
        report
            .setting(
                "path",
                "client → GatewayComponent (Vert.x) → predictor topic "
                    + bed.ctx().topics().predictor(Testbed.NAMESPACE, MODEL, revision)
                    + " → WorkerComponent (ONNX Runtime) → gateway reply topic → gateway → client")
            .setting(
                "load",
                "open loop at "
                    + rates
                    + " req/s, "
                    + duration.toSeconds()
                    + " s each, 1 row per request; warm-up "
                    + warmup.toSeconds()
                    + " s closed loop (16) per protocol; "
                    + rounds
                    + " rounds of every protocol and rate, one after the other")
            .setting(
                "REST client",
                "jdk".equals(System.getProperty("bench.http"))
                    ? "JDK java.net.http.HttpClient, HTTP/1.1 keep-alive"
                    : "Vert.x HttpClient, HTTP/1.1 keep-alive, pool 256, calls started on its"
                        + " event loops")
            .setting(
                "gRPC client",
                "generated GRPCInferenceServiceGrpcClient (Vert.x), h2c, calls started on its"
                    + " event loop")
            .setting("Kafka clients (ClientConfigs, used by gateway and worker)", kafkaSettings())
            .setting("broker", "EmbeddedKafka (1 node, same JVM), topics with 2 partitions")
            .columns(
                "round",
                "protocol",
                "rate req/s",
                "answered",
                "errors",
                "e2e p50 ms",
                "e2e p99 ms",
                "worker compute p50 / p99 ms",
                "overhead p50 ms",
                "overhead p99 ms",
                "goal (≤2 / ≤8 ms)");
        for (int round = 1; round <= rounds; round++) {
          for (String protocol : protocols) {
            for (int rate : rates) {
              System.err.printf(
                  "round %d: %s at %d req/s for %s%n", round, protocol, rate, duration);
              Overhead overhead = new Overhead();
              LatencyRecorder latency = new LatencyRecorder();
              String prefix = run + "-r" + round + "-" + protocol + rate + "-";
              LongFunction<CompletableFuture<?>> call =
                  protocol.equals("grpc")
                      ? i -> overhead.track(prefix + i, () -> grpc.infer(prefix + i, i))
                      : i ->
                          overhead.track(
                              prefix + i,
                              () ->
                                  http.post(
                                      "/v2/models/" + MODEL + "/infer",
                                      IrisPayloads.v2(prefix + i, i)));
              Map<String, LongAdder> phaseErrors = new ConcurrentSkipListMap<>();
              Map<Long, Long> open = new java.util.concurrent.ConcurrentHashMap<>();
              long phaseStart = System.nanoTime();
              LongFunction<CompletableFuture<?>> counted =
                  i -> {
                    open.put(i, System.nanoTime());
                    return call.apply(i)
                        .whenComplete(
                            (ok, error) -> {
                              open.remove(i);
                              countError(phaseErrors, error);
                            });
                  };
              long issued = OpenLoop.run(rate, duration, 10_000, latency, counted);
              if (!open.isEmpty()) {
                System.err.println(
                    "gateway metrics after the phase: "
                        + http.get("/metrics")
                            .lines()
                            .filter(
                                l ->
                                    l.startsWith("kaskade_gateway_inflight")
                                        || l.startsWith("kaskade_gateway_requests_seconds_count"))
                            .toList());
              }
              open.forEach(
                  (i, t) ->
                      System.err.printf(
                          "unanswered: %s%d sent %.3f s into the phase; worker answered: %s%n",
                          prefix, i, (t - phaseStart) / 1e9, times.get(prefix + i)));
              Overhead.Result r = overhead.summarize(times, Duration.ofSeconds(5));
              boolean met =
                  r.overheadUs().getTotalCount() > 0
                      && r.overheadUs().getValueAtPercentile(50) <= 2000
                      && r.overheadUs().getValueAtPercentile(99) <= 8000;
              report.row(
                  round,
                  protocol.equals("grpc") ? "gRPC" : "REST (V2)",
                  rate,
                  latency.count(),
                  latency.errors() + unanswered(issued, latency),
                  BenchReport.fmt(latency.millis(50)),
                  BenchReport.fmt(latency.millis(99)),
                  r.p(r.computeUs(), 50) + " / " + r.p(r.computeUs(), 99),
                  r.p(r.overheadUs(), 50),
                  r.p(r.overheadUs(), 99),
                  met ? "met" : "NOT met");
              if (!phaseErrors.isEmpty()) {
                report.note(protocol + " @ " + rate + " failed calls by kind: " + phaseErrors);
              }
              if (r.unmatched() > 0) {
                report.note(
                    protocol
                        + " @ "
                        + rate
                        + ": "
                        + r.unmatched()
                        + " answered request(s) had no worker response on the responses topic"
                        + " within 5 s; left out of the overhead columns.");
              }
            }
          }
        }

        System.err.printf(
            "REST throughput: closed loop, %d concurrent, %s%n", concurrency, throughputDuration);
        Map<String, LongAdder> errorKinds = new ConcurrentSkipListMap<>();
        LatencyRecorder tput = new LatencyRecorder();
        double perSecond =
            OpenLoop.closedLoop(
                concurrency,
                throughputDuration,
                tput,
                i ->
                    http.post("/v2/models/" + MODEL + "/infer", IrisPayloads.v2(run + "-t" + i, i))
                        .whenComplete((ok, error) -> countError(errorKinds, error)));
        report.note(
            "**Max sustained throughput, REST V2** (closed loop, "
                + concurrency
                + " concurrent, "
                + throughputDuration.toSeconds()
                + " s): **"
                + String.format("%.0f", perSecond)
                + " req/s**, errors "
                + (tput.errors() == 0 ? "0" : tput.errors() + " " + errorKinds)
                + ", latency p50 "
                + BenchReport.fmt(tput.millis(50))
                + " ms / p99 "
                + BenchReport.fmt(tput.millis(99))
                + " ms. Goal ≥ 5,000 req/s with 0 errors → "
                + (perSecond >= 5000 && tput.errors() == 0 ? "met" : "NOT met")
                + ".");
        report.note(
            "errors = failed calls + calls unanswered 60 s after the last send."
                + " e2e = client latency from the request's intended start (open loop). Worker compute ="
                + " `compute_time_us` the worker put in the response for the same id. Overhead ="
                + " per request (actual send → answer) − compute_time_us, i.e. gateway decode/encode"
                + " + Kafka produce/fetch both ways + the worker's Avro/batching plumbing."
                + " The client, gateway, worker and broker share this machine's cores.");
        report.setting(
            "load average (1/5/15 min)",
            "start "
                + loadAtStart
                + "; end "
                + dev.kaskade.loadtests.harness.MachineInfo.loadAverage());
        report.publish();
      }
    }
  }

  /** Calls OpenLoop gave up waiting for (60 s after the last send). */
  /** Counts a failed call by kind (HTTP status, gRPC status or exception class) with a sample. */
  static void countError(Map<String, LongAdder> kinds, Throwable error) {
    if (error == null) {
      return;
    }
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
    String kind =
        cause instanceof GatewayHttp.HttpStatusException s
            ? "HTTP " + s.status()
            : cause.getClass().getSimpleName();
    if (kinds.computeIfAbsent(kind, k -> new LongAdder()).sum() == 0) {
      System.err.println("first " + kind + ": " + cause);
    }
    kinds.get(kind).increment();
  }

  static long unanswered(long issued, LatencyRecorder latency) {
    return Math.max(0, issued - latency.count() - latency.errors());
  }

  /** {@link Testbed#benchSettings} with a separate gRPC port as well. */
  static Map<String, String> settings() {
    return Testbed.benchSettings(Map.of("gateway.grpc.port", "0"));
  }

  /** The latency-relevant settings of the shared producer/consumer configs. */
  public static String kafkaSettings() {
    Map<String, Object> p = ClientConfigs.producer("x", TopicSettings.DEFAULT_MAX_MESSAGE_BYTES);
    Map<String, Object> c =
        ClientConfigs.consumer("x", "g", TopicSettings.DEFAULT_MAX_MESSAGE_BYTES);
    return "producer acks="
        + p.get(ProducerConfig.ACKS_CONFIG)
        + ", enable.idempotence="
        + p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)
        + ", linger.ms="
        + p.get(ProducerConfig.LINGER_MS_CONFIG)
        + "; consumer fetch.max.wait.ms="
        + c.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)
        + ", fetch.min.bytes=default(1), enable.auto.commit="
        + c.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
  }
}
