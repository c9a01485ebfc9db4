package dev.kaskade.loadtests.workers;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.loadtests.harness.LatencyRecorder;
import dev.kaskade.loadtests.harness.OpenLoop;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/** A closed-loop load phase through an {@link AsyncClient}: warm-up, reset, measure. */
public final class LoadPhase {
  private LoadPhase() {}

  /** Numbers of one measured phase. */
  public record Result(
      double perSecond,
      LatencyRecorder latency,
      Map<String, Long> errorCodes,
      AsyncClient.Reported reported) {
    public String errorsText() {
      return latency.errors() == 0 ? "0" : latency.errors() + " " + errorCodes;
    }
  }

  /**
   * Sends one request and waits for its answer: requests wait in Kafka while the model loads, so
   * this returns once the worker serves.
   */
  public static InferenceResponse awaitReady(
      AsyncClient client, String topic, InferenceRequest probe, Duration max) throws Exception {
    try {
      return client.send(topic, probe).get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("worker did not answer the probe: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("worker did not answer the probe within " + max, e);
    }
  }

  /**
   * {@code outstanding} callers each send the next request when the previous one is answered
   * ({@link OpenLoop#closedLoop}); the first {@code warmup} is discarded.
   */
  public static Result run(
      AsyncClient client,
      String topic,
      int outstanding,
      Duration warmup,
      Duration duration,
      LongFunction<InferenceRequest> requests)
      throws InterruptedException {
    if (!warmup.isZero()) {
      OpenLoop.closedLoop(
          outstanding, warmup, new LatencyRecorder(), i -> client.send(topic, requests.apply(i)));
    }
    client.reset();
    LatencyRecorder latency = new LatencyRecorder();
    long offset = 1_000_000_000L;
    double perSecond =
        OpenLoop.closedLoop(
            outstanding, duration, latency, i -> client.send(topic, requests.apply(offset + i)));
    return new Result(perSecond, latency, client.errorCodes(), client.reported());
  }
}
