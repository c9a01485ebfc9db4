package dev.kaskade.workers.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Per-model meters, named after Triton's Prometheus metrics where one exists so existing dashboards
 * carry over (see model-workers/README.md for the mapping). Tags: {@code model}, {@code version}.
 */
public final class WorkerMetrics {
  public static final String REQUEST_SUCCESS = "nv_inference_request_success";
  public static final String REQUEST_FAILURE = "nv_inference_request_failure";
  public static final String INFERENCE_COUNT = "nv_inference_count";
  public static final String EXEC_COUNT = "nv_inference_exec_count";
  public static final String QUEUE_DURATION_US = "nv_inference_queue_duration_us";
  public static final String COMPUTE_INFER_DURATION_US = "nv_inference_compute_infer_duration_us";
  public static final String REQUEST_DURATION_US = "nv_inference_request_duration_us";
  public static final String BATCH_SIZE = "kaskade_inference_batch_size";
  public static final String LOAD_DURATION = "kaskade_model_load_duration";
  public static final String LOAD_FAILURE = "kaskade_model_load_failure";

  private final MeterRegistry registry;

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A request answered with outputs after waiting {@code queueMicros} in Kafka and the batcher. */
  public void success(String model, String version, long queueMicros, long computeMicros) {
    counter(REQUEST_SUCCESS, model, version).increment();
    counter(INFERENCE_COUNT, model, version).increment();
    counter(QUEUE_DURATION_US, model, version).increment(queueMicros);
    counter(REQUEST_DURATION_US, model, version).increment(queueMicros + computeMicros);
  }

  /** A request answered with an error; {@code reason} is the InferenceError code. */
  public void failure(String model, String version, String reason) {
    Counter.builder(REQUEST_FAILURE)
        .description("Failed inference requests, by reason")
        .tags("model", model, "version", version, "reason", reason)
        .register(registry)
        .increment();
  }

  /** One model execution of {@code batchSize} requests. */
  public void execution(String model, String version, int batchSize, long computeMicros) {
    counter(EXEC_COUNT, model, version).increment();
    counter(COMPUTE_INFER_DURATION_US, model, version).increment(computeMicros);
    DistributionSummary.builder(BATCH_SIZE)
        .description("Requests per model execution")
        .tags("model", model, "version", version)
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
        .register(registry)
        .record(batchSize);
  }

  /** A model load attempt that took {@code duration}. */
  public void load(String model, String version, Duration duration, boolean ok) {
    Timer.builder(LOAD_DURATION)
        .description("Time to fetch and load a model")
        .tags("model", model, "version", version, "outcome", ok ? "success" : "failure")
        .register(registry)
        .record(duration);
    if (!ok) {
      counter(LOAD_FAILURE, model, version).increment();
    }
  }

  private Counter counter(String name, String model, String version) {
    return Counter.builder(name).tags("model", model, "version", version).register(registry);
  }
}
