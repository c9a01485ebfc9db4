package dev.kaskade.loadtests.bridge;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.gateway.GatewayComponent;
import dev.kaskade.loadtests.gateway.GatewayHttp;
import dev.kaskade.loadtests.gateway.IrisPayloads;
import dev.kaskade.loadtests.gateway.Overhead;
import dev.kaskade.loadtests.gateway.WorkerTimes;
import dev.kaskade.loadtests.harness.LatencyRecorder;
import dev.kaskade.loadtests.harness.MachineInfo;
import dev.kaskade.loadtests.harness.OpenLoop;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.BenchReport;
import dev.kaskade.loadtests.workers.Testbed;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.testing.OipTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Issue 12 (part B): the runtime bridge's overhead. The same small model server ({@link
 * OipTestServer}, OIP REST) is called directly and through Kaskade (gateway → Kafka → worker with
 * the runtime bridge → model server → Kafka → gateway), open loop at {@code --rate} req/s, one row
 * per request, alternating for {@code --rounds}. Reported: direct and via-Kaskade latency, their
 * difference (goal p50 ≤ 1 ms), and the bridge's own share: the worker's {@code compute_time_us}
 * (the upstream call as the bridge sees it, JSON codec included) minus the direct call.
 *
 * <pre>
 * ./mvnw -q -B -pl load-tests compile exec:java \
 *   -Dexec.mainClass=dev.kaskade.loadtests.bridge.BridgeOverheadBenchmark \
 *   -Dexec.args="--rate 100 --duration 20s" -Dbench.out=target/benchmarks.md
 * </pre>
 */
public final class BridgeOverheadBenchmark {
  static final String MODEL = "sk";

  private BridgeOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Testbed.quietLogs();
    BenchArgs options = new BenchArgs(args);
    Duration duration = options.duration("duration", Duration.ofSeconds(20));
    Duration warmup = options.duration("warmup", Duration.ofSeconds(10));
    int rate = options.integer("rate", 100);
    int rounds = options.integer("rounds", 2);
    String loadAtStart = MachineInfo.loadAverage();
    try (Testbed bed = Testbed.start(Testbed.benchSettings(Map.of()));
        OipTestServer upstream = OipTestServer.start();
        WorkerComponent worker = new WorkerComponent(bed.ctx(), new SimpleMeterRegistry());
        GatewayComponent gateway = new GatewayComponent(bed.ctx())) {
      worker.start();
      bed.deploy(MODEL, spec(upstream));
      gateway.start();
      String run = Long.toString(System.nanoTime(), 36);
      try (GatewayHttp viaKaskade = new GatewayHttp(gateway.httpPort(), 64);
          GatewayHttp direct = new GatewayHttp(upstream.port(), 64);
          WorkerTimes times =
              new WorkerTimes(
                  bed.bootstrap(),
                  bed.registry(),
                  bed.ctx().topics().responses(Testbed.NAMESPACE, MODEL))) {
        String path = "/v2/models/" + MODEL + "/infer";
        viaKaskade.awaitOk("/v2/models/" + MODEL + "/ready", Duration.ofMinutes(2));
        System.err.printf("warming up %s each way%n", warmup);
        OpenLoop.closedLoop(4, warmup, new LatencyRecorder(), i -> direct.post(path, body(run, i)));
        OpenLoop.closedLoop(
            4, warmup, new LatencyRecorder(), i -> viaKaskade.post(path, body(run + "w", i)));
        times.clear();

        BenchReport report =
            new BenchReport(
                "Runtime bridge overhead: an OIP model server direct vs through Kaskade",
                "./mvnw -q -B -pl load-tests compile exec:java"
                    + " -Dexec.mainClass=dev.kaskade.loadtests.bridge.BridgeOverheadBenchmark"
                    + " -Dexec.args=\""
                    + String.join(" ", args)
                    + "\"");
        report
            .setting(
                "upstream",
                "OipTestServer (JDK HttpServer, OIP REST, sums each row) on 127.0.0.1, same JVM")
            .setting(
                "via Kaskade",
                "client → GatewayComponent → predictor topic → WorkerComponent (runtime bridge,"
                    + " JDK HttpClient, OIP REST) → upstream → responses → gateway → client")
            .setting(
                "load",
                "open loop at "
                    + rate
                    + " req/s, "
                    + duration.toSeconds()
                    + " s per phase, 1 row (4 × FP32) per request, V2 REST, Vert.x keep-alive"
                    + " client both ways; "
                    + rounds
                    + " rounds of (direct, via Kaskade)")
            .setting("broker", "EmbeddedKafka (1 node, same JVM)")
            .columns(
                "round",
                "direct p50 / p99 ms",
                "via Kaskade p50 / p99 ms",
                "errors direct / via",
                "difference p50 / p99 ms",
                "goal (p50 ≤ 1 ms)",
                "bridge call p50 / p99 ms",
                "bridge's own share p50 ms");
        for (int round = 1; round <= rounds; round++) {
          LatencyRecorder directLatency = new LatencyRecorder();
          String prefix = run + "-d" + round + "-";
          OpenLoop.run(
              rate, duration, 10_000, directLatency, i -> direct.post(path, body(prefix, i)));
          LatencyRecorder viaLatency = new LatencyRecorder();
          Overhead overhead = new Overhead();
          String via = run + "-k" + round + "-";
          OpenLoop.run(
              rate,
              duration,
              10_000,
              viaLatency,
              i -> overhead.track(via + i, () -> viaKaskade.post(path, body(via, i))));
          Overhead.Result r = overhead.summarize(times, Duration.ofSeconds(5));
          double diff50 = viaLatency.millis(50) - directLatency.millis(50);
          double diff99 = viaLatency.millis(99) - directLatency.millis(99);
          report.row(
              round,
              BenchReport.fmt(directLatency.millis(50))
                  + " / "
                  + BenchReport.fmt(directLatency.millis(99)),
              BenchReport.fmt(viaLatency.millis(50))
                  + " / "
                  + BenchReport.fmt(viaLatency.millis(99)),
              directLatency.errors() + " / " + viaLatency.errors(),
              BenchReport.fmt(diff50) + " / " + BenchReport.fmt(diff99),
              diff50 <= 1.0 ? "met" : "NOT met",
              r.p(r.computeUs(), 50) + " / " + r.p(r.computeUs(), 99),
              share(r.computeUs(), directLatency));
        }
        report.note(
            "difference = via-Kaskade percentile − direct percentile (open loop, from each"
                + " request's intended start). bridge call = compute_time_us the worker reported:"
                + " the bridge's JSON encode + HTTP call + decode of the upstream's answer; its own"
                + " share = bridge call p50 − direct p50. The rest of the difference is the"
                + " gateway and the Kafka round trip every Kaskade request takes (see the gateway"
                + " benchmark). Client, gateway, worker, broker and upstream share this machine.");
        report.setting(
            "load average (1/5/15 min)",
            "start " + loadAtStart + "; end " + MachineInfo.loadAverage());
        report.publish();
      }
    }
  }

  private static String share(Histogram bridgeCallUs, LatencyRecorder direct) {
    if (bridgeCallUs.getTotalCount() == 0) {
      return "n/a";
    }
    return BenchReport.fmt(bridgeCallUs.getValueAtPercentile(50) / 1000.0 - direct.millis(50));
  }

  private static String body(String prefix, long i) {
    return IrisPayloads.v2(prefix + i, i);
  }

  private static InferenceServiceSpec spec(OipTestServer upstream) {
    PredictorSpec predictor =
        PredictorSpec.newBuilder()
            .setRevision(Testbed.revision(MODEL, null))
            .setModelFormat("sklearn")
            .setProtocolVersion("v2")
            .setParameters(Map.of("upstream-url", upstream.url()))
            .build();
    return InferenceServiceSpec.newBuilder().setPredictor(predictor).build();
  }
}
