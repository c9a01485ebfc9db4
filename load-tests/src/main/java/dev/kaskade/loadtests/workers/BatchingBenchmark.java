package dev.kaskade.loadtests.workers;

import dev.kaskade.events.BatcherSpec;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.dispatch.RequestDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Dynamic batching on the MLP model ({@code examples/mlp/model.onnx}, FP32 [-1,64] → [-1,10]) with
 * the real {@link WorkerComponent} on an embedded broker and registry: a closed loop of {@code
 * --outstanding} (64) single-row requests, run twice against two InferenceServices that differ only
 * in their {@code batcher}:
 *
 * <ol>
 *   <li><b>batch size 1</b>: {@code batcher {maxBatchSize: 1, maxLatencyMs: 0}}, every request is
 *       its own ONNX Runtime execution (without any batcher the worker would already merge what one
 *       poll returns, so "no batching" has to be asked for);
 *   <li><b>dynamic</b>: {@code batcher {maxBatchSize: --max-batch (64), maxLatencyMs:
 *       --max-latency-ms (2)}}.
 * </ol>
 *
 * <p>Requests go, by default, straight to the revision's predictor topic (as the gateway does), so
 * the numbers are the worker's; {@code --via requests} adds the {@link RequestDispatcher} hop. Each
 * phase has its own InferenceService, client group and warm-up; the first is deleted before the
 * second starts. Latency is from send to the response reaching the client.
 *
 * <p>Options: {@code --duration 15s --warmup 5s --outstanding 64 --max-batch 64 --max-latency-ms 2
 * --via predictor|requests --timeout 30s}.
 *
 * <p>Run (from the repository root; ~60 s with the defaults):
 *
 * <pre>
 * ./mvnw -q -B -pl load-tests compile exec:java \
 *   -Dexec.mainClass=dev.kaskade.loadtests.workers.BatchingBenchmark \
 *   -Dexec.args="--duration 15s" -Dbench.out=target/benchmarks.md
 * </pre>
 */
public final class BatchingBenchmark {
  private static final int FEATURES = 64;
  private static final int DISTINCT_INPUTS = 256;

  private BatchingBenchmark() {}

  /**
   * examples/mlp, or with {@code --hidden 1024,1024,1024} the same MLP generator with wider hidden
   * layers (same seed), written to a temp file: a model whose per-row compute outweighs Kafka.
   */
  private static java.nio.file.Path modelFor(String hidden) throws java.io.IOException {
    if (hidden.isBlank()) {
      return Testbed.exampleModel("mlp");
    }
    int[] widths =
        java.util.Arrays.stream(hidden.split(","))
            .mapToInt(w -> Integer.parseInt(w.trim()))
            .toArray();
    java.nio.file.Path file = java.nio.file.Files.createTempFile("kaskade-mlp-", ".onnx");
    file.toFile().deleteOnExit();
    java.nio.file.Files.write(
        file,
        dev.kaskade.workers.demo.OnnxModels.mlp(
                dev.kaskade.workers.demo.DemoModels.MLP_SEED,
                dev.kaskade.workers.demo.DemoModels.MLP_INPUTS,
                widths,
                dev.kaskade.workers.demo.DemoModels.MLP_OUTPUTS)
            .toByteArray());
    return file;
  }

  public static void main(String[] args) throws Exception {
    BenchArgs options = new BenchArgs(args);
    Duration duration = options.duration("duration", Duration.ofSeconds(15));
    Duration warmup = options.duration("warmup", Duration.ofSeconds(5));
    Duration timeout = options.duration("timeout", Duration.ofSeconds(30));
    int outstanding = options.integer("outstanding", 64);
    int maxBatch = options.integer("max-batch", 64);
    int maxLatencyMs = options.integer("max-latency-ms", 2);
    String via = options.string("via", "predictor");
    String hidden = options.string("hidden", "");
    java.nio.file.Path model = modelFor(hidden);
    if (!via.equals("requests") && !via.equals("predictor")) {
      throw new IllegalArgumentException("--via must be requests or predictor, got " + via);
    }
    float[][] inputs = new float[DISTINCT_INPUTS][FEATURES];
    SplittableRandom random = new SplittableRandom(42);
    for (float[] row : inputs) {
      for (int j = 0; j < FEATURES; j++) {
        row[j] = (float) random.nextDouble(-1, 1);
      }
    }

    record Phase(String label, String isvc, BatcherSpec batcher) {}
    List<Phase> phases =
        List.of(
            new Phase("batch size 1", "mlp-single", batcher(1, 0)),
            new Phase(
                "dynamic (max " + maxBatch + ", " + maxLatencyMs + " ms)",
                "mlp-dynamic",
                batcher(maxBatch, maxLatencyMs)));
    List<LoadPhase.Result> results = new ArrayList<>();

    try (Testbed bed =
            Testbed.start(
                Map.of("worker.id", "bench-worker", RequestDispatcher.ID, "bench-dispatcher"));
        WorkerComponent worker = new WorkerComponent(bed.ctx());
        RequestDispatcher dispatcher = new RequestDispatcher(bed.ctx())) {
      worker.start();
      if (via.equals("requests")) {
        dispatcher.start();
      }
      var topics = bed.ctx().topics();
      for (Phase phase : phases) {
        String revision = bed.deployInferenceService(phase.isvc(), model, phase.batcher());
        String topic =
            via.equals("requests")
                ? topics.requests(Testbed.NAMESPACE, phase.isvc())
                : topics.predictor(Testbed.NAMESPACE, phase.isvc(), revision);
        String run = Long.toString(System.nanoTime(), 36);
        try (AsyncClient client =
            new AsyncClient(
                bed.bootstrap(),
                bed.registry(),
                topics.responses(Testbed.NAMESPACE, phase.isvc()),
                "bench-batching-" + run,
                Map.of(),
                timeout)) {
          System.err.printf("%s: waiting for the worker to answer …%n", phase.label());
          LoadPhase.awaitReady(
              client,
              topic,
              request(phase.isvc(), run + "-probe", inputs[0]),
              Duration.ofMinutes(2));
          System.err.printf(
              "%s: warming up for %s, then %s at %d outstanding%n",
              phase.label(), warmup, duration, outstanding);
          results.add(
              LoadPhase.run(
                  client,
                  topic,
                  outstanding,
                  warmup,
                  duration,
                  i -> request(phase.isvc(), run + "-" + i, inputs[(int) (i % DISTINCT_INPUTS)])));
        }
        bed.deleteInferenceService(phase.isvc());
      }
    }

    String command =
        "./mvnw -q -B -pl load-tests compile exec:java"
            + " -Dexec.mainClass=dev.kaskade.loadtests.workers.BatchingBenchmark"
            + " -Dexec.args=\""
            + String.join(" ", args)
            + "\"";
    BenchReport report =
        new BenchReport("Dynamic batching: MLP, " + outstanding + " concurrent requests", command)
            .setting(
                "model",
                (hidden.isBlank()
                        ? "examples/mlp/model.onnx (64→512→512→256→10)"
                        : "generated MLP 64→" + hidden.replace(",", "→") + "→10 (DemoModels seed)")
                    + ", FP32 [1,64] → [1,10] per request, ONNX Runtime CPU")
            .setting(
                "path",
                via.equals("requests")
                    ? "client → requests topic → RequestDispatcher → predictor topic → WorkerComponent → responses topic → client"
                    : "client → predictor topic → WorkerComponent → responses topic → client (no dispatcher)")
            .setting(
                "load", "closed loop, " + outstanding + " requests outstanding, 1 row per request")
            .setting(
                "warmup / measured",
                warmup.toSeconds() + " s / " + duration.toSeconds() + " s per phase")
            .setting("broker", "EmbeddedKafka (1 node, in the same JVM), topics with 2 partitions")
            .columns(
                "batching",
                "inferences/s",
                "p50 ms",
                "p99 ms",
                "max ms",
                "mean batch (worker)",
                "compute p50 µs (worker)",
                "errors");
    for (int k = 0; k < phases.size(); k++) {
      LoadPhase.Result r = results.get(k);
      report.row(
          phases.get(k).label(),
          String.format("%.0f", r.perSecond()),
          BenchReport.fmt(r.latency().millis(50)),
          BenchReport.fmt(r.latency().millis(99)),
          BenchReport.fmt(r.latency().maxMillis()),
          String.format("%.1f", r.reported().meanBatch()),
          r.reported().computeP50Us(),
          r.errorsText());
    }
    LoadPhase.Result single = results.get(0);
    LoadPhase.Result dynamic = results.get(1);
    double speedup = dynamic.perSecond() / single.perSecond();
    boolean p99Ok = dynamic.latency().millis(99) <= single.latency().millis(99);
    report
        .note(
            String.format(
                "Throughput dynamic / batch size 1 = %.2f×; p99 %s. Goal ≥ 3× at equal or lower p99 → %s.",
                speedup,
                p99Ok ? "equal or lower" : "higher",
                speedup >= 3 && p99Ok ? "met" : "NOT met"))
        .publish();
  }

  private static BatcherSpec batcher(int maxBatchSize, long maxLatencyMs) {
    return BatcherSpec.newBuilder()
        .setMaxBatchSize(maxBatchSize)
        .setMaxLatencyMs(maxLatencyMs)
        .build();
  }

  private static InferenceRequest request(String model, String id, float[] row) {
    return InferenceRequest.newBuilder()
        .setId(id)
        .setModel(model)
        .setInputs(List.of(Tensors.ofFloats("input", List.of(1L, (long) FEATURES), row)))
        .setCreatedEpochMs(System.currentTimeMillis())
        .build();
  }
}
