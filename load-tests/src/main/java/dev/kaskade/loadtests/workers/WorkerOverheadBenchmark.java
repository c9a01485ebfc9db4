package dev.kaskade.loadtests.workers;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.loadtests.harness.LatencyRecorder;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.batch.BatchPlanner;
import dev.kaskade.workers.batch.BatchPolicy;
import dev.kaskade.workers.batch.BatchRunner;
import dev.kaskade.workers.batch.BatchRunner.Outcome;
import dev.kaskade.workers.batch.BatchWindow;
import dev.kaskade.workers.batch.TensorBatching;
import dev.kaskade.workers.metrics.WorkerMetrics;
import dev.kaskade.workers.validation.RequestValidator;
import dev.kaskade.workers.worker.ResponseWriter;
import dev.kaskade.workers.worker.ResponseWriter.Caller;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Per-inference cost of the model worker's own request path next to a direct call of the model's
 * library through its backend, for single-row iris requests, in one JVM run.
 *
 * <p><b>direct</b>: {@code LoadedModel.infer(List.of(input), Set.of())} on the iris model of {@code
 * --format} loaded through {@link BackendRegistry}: {@code onnx} (default,
 * examples/iris/model.onnx, ONNX Runtime with the worker's default session options), {@code
 * xgboost} (examples/xgboost/model.json, xgboost4j), {@code lightgbm} (examples/lightgbm/model.txt,
 * lightgbmlib) or {@code pmml} (examples/pmml/model.pmml, JPMML), with a pre-built FP32 [1,4] input
 * tensor.
 *
 * <p><b>worker path</b>: what {@code RevisionWorker} does for one record between {@code
 * consumer.poll} and {@code producer.send}, assembled from the worker's public classes because that
 * loop is private to {@code RevisionWorker}: Confluent-wire Avro decode of the record value with
 * the worker's {@link AvroDeserializer} (schema from the real embedded registry, cached after the
 * first call) → model/id resolution and {@link Caller} → {@link RequestValidator#validate} → {@link
 * BatchWindow} add/due/drain (no batcher = per-poll policy) and {@link BatchPlanner#plan} → {@link
 * BatchRunner#run} (which calls the same {@code LoadedModel.infer}) → {@link WorkerMetrics}
 * execution/success → {@link ResponseWriter#success} → {@link ResponseWriter#send} (response
 * headers and Avro encode of the response) into an auto-completing {@link MockProducer}, i.e.
 * without any Kafka I/O. Not measured: the Kafka poll, the produce to the broker, the offset commit
 * and the wait for acks (see {@link AsyncThroughputBenchmark} for those).
 *
 * <p>Both are timed per call with {@code System.nanoTime()} on one thread, alternating blocks of
 * calls so that both see the same JIT/CPU conditions; the first {@code --warmup} is discarded.
 * Overhead = worker path − direct at the same percentile.
 *
 * <p>Run (from the repository root; ~30 s with the defaults):
 *
 * <pre>
 * ./mvnw -q -B -pl load-tests compile exec:java \
 *   -Dexec.mainClass=dev.kaskade.loadtests.workers.WorkerOverheadBenchmark \
 *   -Dexec.args="--duration 20s --warmup 5s" -Dbench.out=target/benchmarks.md
 * </pre>
 */
public final class WorkerOverheadBenchmark {
  private static final String MODEL = "iris";

  /** Model file under examples/ per {@code --format}. */
  private static final Map<String, String> FILES =
      Map.of(
          "onnx", "iris/model.onnx",
          "xgboost", "xgboost/model.json",
          "lightgbm", "lightgbm/model.txt",
          "pmml", "pmml/model.pmml");

  private static final int BLOCK = 1_000;
  private static final float[][] ROWS = {
    {5.1f, 3.5f, 1.4f, 0.2f}, {6.3f, 3.3f, 6.0f, 2.5f}, {5.9f, 3.0f, 4.2f, 1.5f},
    {4.9f, 3.0f, 1.4f, 0.2f}, {6.7f, 3.1f, 4.4f, 1.4f}, {7.2f, 3.6f, 6.1f, 2.5f},
    {5.5f, 2.4f, 3.8f, 1.1f}, {6.0f, 2.2f, 5.0f, 1.5f}
  };

  private WorkerOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs options = new BenchArgs(args);
    Duration duration = options.duration("duration", Duration.ofSeconds(20));
    Duration warmup = options.duration("warmup", Duration.ofSeconds(5));
    String format = options.string("format", "onnx");
    if (!FILES.containsKey(format)) {
      throw new IllegalArgumentException("--format must be one of " + FILES.keySet());
    }
    Path modelPath = Testbed.exampleModel(MODEL).getParent().getParent().resolve(FILES.get(format));

    try (Testbed bed = Testbed.start(Map.of());
        LoadedModel model =
            BackendRegistry.load()
                .forFormat(format)
                .load(new ModelSource(MODEL, "bench", modelPath, format, Map.of()))) {
      String input = model.metadata().inputs().get(0).name();
      String revision = Testbed.revision(MODEL, null);
      bed.ensureTopics(MODEL, revision); // registers the request/response schemas
      String predictorTopic = bed.ctx().topics().predictor(Testbed.NAMESPACE, MODEL, revision);
      String responsesTopic = bed.ctx().topics().responses(Testbed.NAMESPACE, MODEL);

      // Inputs of both paths: the same rows, pre-built once.
      Tensor[] directInputs = new Tensor[ROWS.length];
      byte[][] records = new byte[ROWS.length][];
      AvroSerializer<InferenceRequest> requestSerializer = new AvroSerializer<>(bed.registry());
      for (int i = 0; i < ROWS.length; i++) {
        directInputs[i] = Tensors.ofFloats(input, List.of(1L, 4L), ROWS[i]);
        InferenceRequest request =
            InferenceRequest.newBuilder()
                .setId("bench-" + i)
                .setModel(MODEL)
                .setInputs(List.of(Tensors.ofFloats(input, List.of(1L, 4L), ROWS[i])))
                .setCreatedEpochMs(System.currentTimeMillis())
                .build();
        records[i] = requestSerializer.serialize(predictorTopic, request);
      }

      WorkerPath worker =
          new WorkerPath(
              model,
              new AvroDeserializer<>(bed.registry(), InferenceRequest.class),
              predictorTopic,
              responsesTopic,
              revision,
              new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
              new AvroSerializer<InferenceResponse>(bed.registry()));

      LatencyRecorder direct = new LatencyRecorder();
      LatencyRecorder path = new LatencyRecorder();
      Histogram reportedCompute = new Histogram(3_600_000_000L, 3);
      System.err.printf("warming up for %s, then measuring for %s%n", warmup, duration);
      run(warmup, model, directInputs, worker, records, direct, path, reportedCompute);
      direct.reset();
      path.reset();
      reportedCompute.reset();
      run(duration, model, directInputs, worker, records, direct, path, reportedCompute);

      String command =
          "./mvnw -q -B -pl load-tests compile exec:java"
              + " -Dexec.mainClass=dev.kaskade.loadtests.workers.WorkerOverheadBenchmark"
              + " -Dexec.args=\""
              + String.join(" ", args)
              + "\"";
      double overheadP50 = path.micros(50) - direct.micros(50);
      double overheadP99 = path.micros(99) - direct.micros(99);
      new BenchReport(
              "Worker overhead: iris (" + format + "), 1 row, in-process (no Kafka I/O)", command)
          .setting(
              "model",
              "examples/"
                  + FILES.get(format)
                  + " (FP32 [1,4] → "
                  + model.metadata().outputs().stream()
                      .map(o -> o.name() + " " + o.shape())
                      .toList()
                  + "), backend "
                  + model.metadata().platform()
                  + ", CPU, default settings")
          .setting(
              "warmup / measured",
              warmup.toSeconds()
                  + " s / "
                  + duration.toSeconds()
                  + " s, alternating blocks of "
                  + BLOCK
                  + " calls, one thread")
          .setting(
              "worker path",
              "Avro decode → validate → batch window/plan → BatchRunner (infer) → metrics → response build → ResponseWriter.send (headers + Avro encode) into MockProducer (whose own small cost is included)")
          .columns("path", "calls", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs")
          .row(
              "direct LoadedModel.infer",
              direct.count(),
              BenchReport.fmt(direct.micros(50)),
              BenchReport.fmt(direct.micros(90)),
              BenchReport.fmt(direct.micros(99)),
              BenchReport.fmt(direct.micros(99.9)))
          .row(
              "worker path",
              path.count(),
              BenchReport.fmt(path.micros(50)),
              BenchReport.fmt(path.micros(90)),
              BenchReport.fmt(path.micros(99)),
              BenchReport.fmt(path.micros(99.9)))
          .row(
              "**overhead** (worker − direct)",
              "",
              "**" + BenchReport.fmt(overheadP50) + "**",
              BenchReport.fmt(path.micros(90) - direct.micros(90)),
              BenchReport.fmt(overheadP99),
              BenchReport.fmt(path.micros(99.9) - direct.micros(99.9)))
          .note(
              "Worker-reported compute_time_us inside the worker path (BatchRunner's timing of infer): p50 "
                  + reportedCompute.getValueAtPercentile(50)
                  + " µs, p99 "
                  + reportedCompute.getValueAtPercentile(99)
                  + " µs. Goal: overhead p50 < 50 µs → "
                  + (overheadP50 < 50 ? "met" : "NOT met")
                  + ".")
          .publish();
      worker.close();
    }
  }

  private static void run(
      Duration duration,
      LoadedModel model,
      Tensor[] directInputs,
      WorkerPath worker,
      byte[][] records,
      LatencyRecorder direct,
      LatencyRecorder path,
      Histogram reportedCompute)
      throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    int i = 0;
    while (System.nanoTime() < end) {
      for (int k = 0; k < BLOCK; k++, i++) {
        List<Tensor> inputs = List.of(directInputs[i % directInputs.length]);
        long start = System.nanoTime();
        List<Tensor> outputs = model.infer(inputs, Set.of());
        long nanos = System.nanoTime() - start;
        if (outputs.isEmpty()) {
          direct.error();
        } else {
          direct.record(nanos);
        }
      }
      for (int k = 0; k < BLOCK; k++, i++) {
        byte[] record = records[i % records.length];
        long start = System.nanoTime();
        long computeUs = worker.process(record);
        long nanos = System.nanoTime() - start;
        worker.clearSent();
        if (computeUs < 0) {
          path.error();
        } else {
          path.record(nanos);
          reportedCompute.recordValue(computeUs);
        }
      }
    }
  }

  /** The worker's per-record processing, minus Kafka I/O (see the class comment). */
  private static final class WorkerPath implements AutoCloseable {
    private final LoadedModel model;
    private final AvroDeserializer<InferenceRequest> requests;
    private final String predictorTopic;
    private final String responsesTopic;
    private final String revision;
    private final ResponseWriter responses;
    private final MockProducer<byte[], byte[]> producer;
    private final WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
    private final BatchPolicy policy = BatchPolicy.perPoll();
    private final BatchWindow<Item> window = new BatchWindow<>(policy);
    private final Headers recordHeaders = new RecordHeaders();

    private record Item(InferenceRequest request, Caller caller) {}

    WorkerPath(
        LoadedModel model,
        AvroDeserializer<InferenceRequest> requests,
        String predictorTopic,
        String responsesTopic,
        String revision,
        MockProducer<byte[], byte[]> producer,
        AvroSerializer<InferenceResponse> responseSerializer) {
      this.model = model;
      this.requests = requests;
      this.predictorTopic = predictorTopic;
      this.responsesTopic = responsesTopic;
      this.revision = revision;
      this.producer = producer;
      this.responses =
          new ResponseWriter(
              producer, responseSerializer, dev.kaskade.schemas.topic.Topics.withDefaultPrefix());
    }

    /** Returns the reported compute µs, or -1 when the request failed. */
    long process(byte[] value) {
      InferenceRequest request = requests.deserialize(predictorTopic, value);
      String id = request.getId();
      String modelName = request.getModel().isBlank() ? MODEL : request.getModel();
      Caller caller = new Caller(id, modelName, Testbed.NAMESPACE, recordHeaders);
      RequestValidator.validate(
          request.getInputs(), request.getRequestedOutputs(), model.metadata());
      long now = System.currentTimeMillis();
      window.add(
          new Item(request, caller), Math.max(1, TensorBatching.rows(request.getInputs())), now);
      if (!window.due(now)) {
        return -1;
      }
      long computeUs = -1;
      for (List<Item> batch :
          BatchPlanner.plan(
              window.drain(),
              item ->
                  TensorBatching.mergeKey(
                      item.request().getInputs(), item.request().getRequestedOutputs()),
              item -> Math.max(1, TensorBatching.rows(item.request().getInputs())),
              policy.maxBatchSize())) {
        List<Outcome> outcomes =
            BatchRunner.run(
                model,
                batch.stream()
                    .map(
                        item ->
                            new BatchRunner.Job(
                                item.request().getInputs(),
                                Set.copyOf(item.request().getRequestedOutputs())))
                    .toList());
        for (int j = 0; j < batch.size(); j++) {
          Item item = batch.get(j);
          if (outcomes.get(j) instanceof Outcome.Success s) {
            metrics.execution(item.caller().model(), revision, 1, s.computeMicros());
            long queueUs = 0;
            metrics.success(item.caller().model(), revision, queueUs, s.computeMicros());
            InferenceResponse response =
                ResponseWriter.success(
                    item.caller(),
                    revision,
                    s.outputs(),
                    java.util.Map.of(),
                    s.batchSize(),
                    queueUs,
                    s.computeMicros());
            responses.send(responsesTopic, item.caller(), response);
            computeUs = s.computeMicros();
          } else {
            return -1;
          }
        }
      }
      return computeUs;
    }

    /** Drops the MockProducer's history (outside the timed section). */
    void clearSent() {
      producer.clear();
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
