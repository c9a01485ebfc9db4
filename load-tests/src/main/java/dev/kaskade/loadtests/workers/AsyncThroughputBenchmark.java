package dev.kaskade.loadtests.workers;

import dev.kaskade.events.BatcherSpec;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.dispatch.RequestDispatcher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Sustained asynchronous inference throughput of iris through Kafka, with the real {@link
 * WorkerComponent} (ONNX Runtime backend) and, by default, the {@link RequestDispatcher}, on an
 * embedded broker with the embedded schema registry.
 *
 * <p>The client is the plain {@code KafkaProducer}/{@code KafkaConsumer} pair of
 * docs/async-inference.md ({@link AsyncClient}): it produces single-row {@code InferenceRequest}s
 * (key = request id) to {@code kaskade.default.iris.requests} (the dispatcher forwards them to the
 * predictor topic) — or with {@code --via predictor} straight to the revision's predictor topic, as
 * the gateway does — and reads {@code kaskade.default.iris.responses}. A closed loop keeps {@code
 * --outstanding} requests in flight at all times (full speed, bounded); latency is from send to the
 * response arriving at the client. Errors = error responses + produce failures + requests
 * unanswered after {@code --timeout}.
 *
 * <p>Options: {@code --duration 30s --warmup 5s --outstanding 1000 --via requests|predictor
 * --batcher none|<maxBatchSize>:<maxLatencyMs> --linger-ms <n> (producer linger.ms; default: the
 * docs' plain config) --timeout 30s}.
 *
 * <p>Run (from the repository root; ~50 s with the defaults):
 *
 * <pre>
 * ./mvnw -q -B -pl load-tests compile exec:java \
 *   -Dexec.mainClass=dev.kaskade.loadtests.workers.AsyncThroughputBenchmark \
 *   -Dexec.args="--duration 30s" -Dbench.out=target/benchmarks.md
 * </pre>
 */
public final class AsyncThroughputBenchmark {
  private static final String MODEL = "iris";
  private static final float[][] ROWS = {
    {5.1f, 3.5f, 1.4f, 0.2f}, {6.3f, 3.3f, 6.0f, 2.5f}, {5.9f, 3.0f, 4.2f, 1.5f},
    {4.9f, 3.0f, 1.4f, 0.2f}, {6.7f, 3.1f, 4.4f, 1.4f}, {7.2f, 3.6f, 6.1f, 2.5f},
    {5.5f, 2.4f, 3.8f, 1.1f}, {6.0f, 2.2f, 5.0f, 1.5f}
  };

  private AsyncThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs options = new BenchArgs(args);
    Duration duration = options.duration("duration", Duration.ofSeconds(30));
    Duration warmup = options.duration("warmup", Duration.ofSeconds(5));
    Duration timeout = options.duration("timeout", Duration.ofSeconds(30));
    int outstanding = options.integer("outstanding", 1000);
    String via = options.string("via", "requests");
    String batcherText = options.string("batcher", "none");
    String linger = options.string("linger-ms", null);
    if (!via.equals("requests") && !via.equals("predictor")) {
      throw new IllegalArgumentException("--via must be requests or predictor, got " + via);
    }
    BatcherSpec batcher = parseBatcher(batcherText);
    Map<String, Object> producerOverrides = new HashMap<>();
    if (linger != null) {
      producerOverrides.put(ProducerConfig.LINGER_MS_CONFIG, Integer.parseInt(linger));
    }

    try (Testbed bed =
            Testbed.start(
                Map.of("worker.id", "bench-worker", RequestDispatcher.ID, "bench-dispatcher"));
        WorkerComponent worker = new WorkerComponent(bed.ctx());
        RequestDispatcher dispatcher = new RequestDispatcher(bed.ctx())) {
      worker.start();
      if (via.equals("requests")) {
        dispatcher.start();
      }
      String revision = bed.deployInferenceService(MODEL, Testbed.exampleModel(MODEL), batcher);
      var topics = bed.ctx().topics();
      String topic =
          via.equals("requests")
              ? topics.requests(Testbed.NAMESPACE, MODEL)
              : topics.predictor(Testbed.NAMESPACE, MODEL, revision);
      String run = Long.toString(System.nanoTime(), 36);
      try (AsyncClient client =
          new AsyncClient(
              bed.bootstrap(),
              bed.registry(),
              topics.responses(Testbed.NAMESPACE, MODEL),
              "bench-async-" + run,
              producerOverrides,
              timeout)) {
        System.err.println("waiting for the iris worker to answer …");
        LoadPhase.awaitReady(client, topic, request(run + "-probe", 0), Duration.ofMinutes(2));
        System.err.printf(
            "warming up for %s, then %s at %d outstanding%n", warmup, duration, outstanding);
        LoadPhase.Result result =
            LoadPhase.run(
                client, topic, outstanding, warmup, duration, i -> request(run + "-" + i, i));

        String command =
            "./mvnw -q -B -pl load-tests compile exec:java"
                + " -Dexec.mainClass=dev.kaskade.loadtests.workers.AsyncThroughputBenchmark"
                + " -Dexec.args=\""
                + String.join(" ", args)
                + "\"";
        var latency = result.latency();
        var reported = result.reported();
        new BenchReport("Async throughput: iris over Kafka, plain producer/consumer", command)
            .setting(
                "path",
                via.equals("requests")
                    ? "client → kaskade.default.iris.requests → RequestDispatcher → predictor topic → WorkerComponent → kaskade.default.iris.responses → client"
                    : "client → predictor topic ("
                        + topic
                        + ") → WorkerComponent → kaskade.default.iris.responses → client (no dispatcher)")
            .setting(
                "load", "closed loop, " + outstanding + " requests outstanding, 1 row per request")
            .setting(
                "warmup / measured", warmup.toSeconds() + " s / " + duration.toSeconds() + " s")
            .setting(
                "batcher",
                batcher == null
                    ? "none (worker merges what one poll returns, up to 256 records)"
                    : "maxBatchSize "
                        + batcher.getMaxBatchSize()
                        + ", maxLatencyMs "
                        + batcher.getMaxLatencyMs())
            .setting(
                "client producer",
                producerOverrides.isEmpty()
                    ? "docs config (bootstrap only, Kafka defaults)"
                    : producerOverrides)
            .setting("broker", "EmbeddedKafka (1 node, in the same JVM), topics with 2 partitions")
            .columns(
                "inferences/s",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "p99.9 ms",
                "max ms",
                "answered",
                "errors")
            .row(
                String.format("%.0f", result.perSecond()),
                BenchReport.fmt(latency.millis(50)),
                BenchReport.fmt(latency.millis(90)),
                BenchReport.fmt(latency.millis(99)),
                BenchReport.fmt(latency.millis(99.9)),
                BenchReport.fmt(latency.maxMillis()),
                latency.count(),
                result.errorsText())
            .note(
                "Worker-reported (successful responses): queue_time_us p50 "
                    + reported.queueP50Us()
                    + " / p99 "
                    + reported.queueP99Us()
                    + ", compute_time_us p50 "
                    + reported.computeP50Us()
                    + " / p99 "
                    + reported.computeP99Us()
                    + ", batch_size mean "
                    + String.format("%.1f", reported.meanBatch())
                    + " / max "
                    + reported.maxBatch()
                    + ". Goal ≥ 20,000 inferences/s with 0 errors → "
                    + (result.perSecond() >= 20_000 && latency.errors() == 0 ? "met" : "NOT met")
                    + ".")
            .publish();
      }
    }
  }

  static BatcherSpec parseBatcher(String text) {
    if (text == null || text.equals("none")) {
      return null;
    }
    String[] parts = text.split(":");
    return BatcherSpec.newBuilder()
        .setMaxBatchSize(Integer.parseInt(parts[0].trim()))
        .setMaxLatencyMs(parts.length > 1 ? Long.parseLong(parts[1].trim()) : 0)
        .build();
  }

  public static InferenceRequest request(String id, long i) {
    return InferenceRequest.newBuilder()
        .setId(id)
        .setModel(MODEL)
        .setInputs(
            List.of(Tensors.ofFloats("input", List.of(1L, 4L), ROWS[(int) (i % ROWS.length)])))
        .setCreatedEpochMs(System.currentTimeMillis())
        .build();
  }
}
