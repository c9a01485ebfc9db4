package dev.kaskade.loadtests.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Per-request "overhead" = end-to-end latency at the client (from the actual send to the answer)
 * minus the model execution time the worker reported for the same request id ({@link WorkerTimes}),
 * i.e. everything the gateway, Kafka and the worker's plumbing add.
 */
public final class Overhead {
  private final Map<String, Long> e2eNanos = new ConcurrentHashMap<>();

  /** Runs the call and remembers its latency under {@code id} when it succeeds. */
  public <T> CompletableFuture<T> track(String id, Supplier<CompletableFuture<T>> call) {
    long start = System.nanoTime();
    return call.get()
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                e2eNanos.put(id, System.nanoTime() - start);
              }
            });
  }

  /** Histograms in microseconds. */
  public record Result(
      Histogram e2eUs,
      Histogram computeUs,
      Histogram queueUs,
      Histogram overheadUs,
      long unmatched) {
    public String p(Histogram h, double percentile) {
      return h.getTotalCount() == 0
          ? "n/a"
          : String.format("%.3f", h.getValueAtPercentile(percentile) / 1000.0);
    }
  }

  /**
   * Joins with what the worker reported (waiting up to {@code wait} for the last responses to be
   * read from the responses topic) and clears the recorded latencies.
   */
  public Result summarize(WorkerTimes times, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline
        && e2eNanos.keySet().stream().anyMatch(id -> times.get(id) == null)) {
      Thread.sleep(50);
    }
    Histogram e2e = new Histogram(3_600_000_000L, 3);
    Histogram compute = new Histogram(3_600_000_000L, 3);
    Histogram queue = new Histogram(3_600_000_000L, 3);
    Histogram overhead = new Histogram(3_600_000_000L, 3);
    long unmatched = 0;
    for (var entry : e2eNanos.entrySet()) {
      long us = entry.getValue() / 1000;
      e2e.recordValue(Math.max(0, us));
      WorkerTimes.Reported r = times.get(entry.getKey());
      if (r == null) {
        unmatched++;
        continue;
      }
      compute.recordValue(Math.max(0, r.computeUs()));
      queue.recordValue(Math.max(0, r.queueUs()));
      overhead.recordValue(Math.max(0, us - r.computeUs()));
    }
    e2eNanos.clear();
    times.clear();
    return new Result(e2e, compute, queue, overhead, unmatched);
  }
}
