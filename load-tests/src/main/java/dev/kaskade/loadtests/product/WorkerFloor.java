package dev.kaskade.loadtests.product;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.loadtests.workers.AsyncClient;
import dev.kaskade.loadtests.workers.AsyncThroughputBenchmark;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.Testbed;
import dev.kaskade.workers.WorkerComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The async baseline: the iris worker's own throughput. {@code --requests} iris requests are
 * produced to the predictor topic before any worker runs; then a {@link WorkerComponent} starts on
 * the embedded broker of a {@link Testbed} in this JVM and drains them. Throughput = answers
 * between the first and the last answer / the time between them (model loading excluded).
 */
public final class WorkerFloor {
  private WorkerFloor() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    int requests = args.integer("requests", 50_000);
    Path out = Path.of(args.string("out", "target/product-benchmark/results.tsv"));
    String model = LoadTool.MODEL;
    String revision = Testbed.revision(model, null);
    try (Testbed bed = Testbed.start(Map.of("worker.id", "bench-worker"));
        WorkerComponent worker = new WorkerComponent(bed.ctx())) {
      bed.ensureTopics(model, revision);
      var topics = bed.ctx().topics();
      String predictor = topics.predictor(Testbed.NAMESPACE, model, revision);
      try (AsyncClient client =
          new AsyncClient(
              bed.bootstrap(),
              bed.registry(),
              topics.responses(Testbed.NAMESPACE, model),
              "worker-floor",
              Map.of(),
              Duration.ofMinutes(5))) {
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        List<CompletableFuture<InferenceResponse>> answers = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
          CompletableFuture<InferenceResponse> answer =
              client.send(predictor, AsyncThroughputBenchmark.request("wf-" + i, i));
          answer.thenRun(
              () -> {
                long now = System.nanoTime();
                first.compareAndSet(0, now);
                last.accumulateAndGet(now, Math::max);
              });
          answers.add(answer);
        }
        System.err.printf(
            "worker floor: %d requests on %s; starting the worker%n", requests, predictor);
        worker.start();
        bed.deployInferenceService(model, Testbed.exampleModel(model), null);
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
            .exceptionally(e -> null)
            .get(5, TimeUnit.MINUTES);
        long errors = answers.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        double seconds = (last.get() - first.get()) / 1e9;
        double perSecond = (requests - errors - 1) / seconds;
        StepResult step =
            new StepResult(
                "worker", "kafka", "prefilled", requests, 0, 0, 0, 0, perSecond, requests, errors);
        System.err.println("  " + step.toLine().replace('\t', ' '));
        LoadTool.append(out, List.of(step.toLine()));
      }
    }
    System.exit(0);
  }
}
