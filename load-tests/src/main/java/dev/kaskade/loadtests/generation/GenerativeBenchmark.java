package dev.kaskade.loadtests.generation;

import dev.kaskade.loadtests.harness.MachineInfo;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.BenchReport;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.huggingface.HuggingFaceBackend;
import dev.kaskade.workers.demo.MiniLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Issue 13's figures, measured from a separate process against a running {@code kaskade up}
 * (gateway, Kafka and the worker as shipped): (a) time to first token through gateway and Kafka
 * minus the worker's own, at N concurrent streams; (b) per-chunk added latency; (c) MiniLM
 * embeddings through the gateway vs the same model in this JVM. See load-tests/README.md.
 */
public final class GenerativeBenchmark {
  private GenerativeBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = new BenchArgs(args);
    String url = a.string("url", "http://127.0.0.1:8080");
    String kafka = a.string("kafka", "127.0.0.1:9092");
    String registry = a.string("registry", "http://127.0.0.1:8085");
    String model = a.string("model", GenerationBenchModel.NAME);
    Path manifests = Path.of(a.string("manifests", "target/generation-bench"));
    int streams = a.integer("streams", 10);
    int maxTokens = a.integer("max-tokens", 64);
    Duration warmup = a.duration("warmup", Duration.ofSeconds(10));
    Duration duration = a.duration("duration", Duration.ofSeconds(30));
    String embedModel = a.string("embed-model", MiniLm.NAME);
    int clients = a.integer("embed-clients", 2);
    Duration embedDuration = a.duration("embed-duration", Duration.ofSeconds(15));

    BenchReport report =
        new BenchReport(
                "Issue 13 — generative: TTFT and per-chunk overhead, MiniLM embeddings",
                "GenerativeBenchmark " + String.join(" ", args))
            .setting("target", url + " (kafka " + kafka + ")")
            .setting(
                "streams",
                streams + " concurrent chat streams of " + maxTokens + " tokens, model " + model)
            .setting(
                "model decode pace",
                model.equals(GenerationBenchModel.NAME)
                    ? GenerationBenchModel.pace(manifests)
                    : "the model's own (not " + GenerationBenchModel.NAME + ")")
            .setting(
                "warm-up / measured", warmup.toSeconds() + " s / " + duration.toSeconds() + " s")
            .setting("load average before", MachineInfo.loadAverage());
    StreamLoad.Result s =
        StreamLoad.run(
            new StreamProbe(url, model, maxTokens),
            new KafkaTimings(kafka, registry, "default", model),
            streams,
            warmup,
            duration);
    report
        .columns("figure", "p50 ms", "p99 ms", "samples", "goal")
        .row(
            "client TTFT (send → first content chunk)",
            f(s.clientTtft(), 50),
            f(s.clientTtft(), 99),
            s.clientTtft().count(),
            "")
        .row(
            "worker-reported TTFT (ms resolution)",
            f(s.workerTtft(), 50),
            f(s.workerTtft(), 99),
            s.workerTtft().count(),
            "")
        .row(
            "worker-reported queue time (Kafka hop + slot wait, ms resolution)",
            f(s.workerQueue(), 50),
            f(s.workerQueue(), 99),
            s.workerQueue().count(),
            "")
        .row(
            "**TTFT overhead** = client TTFT − worker TTFT",
            f(s.ttftOverhead(), 50),
            f(s.ttftOverhead(), 99),
            s.ttftOverhead().count(),
            "p50 ≤ 3 ms")
        .row(
            "**per-chunk added latency** = client inter-chunk − worker inter-event",
            f(s.gapDifference(), 50),
            f(s.gapDifference(), 99),
            s.gapDifference().count(),
            "p50 ≤ 1 ms")
        .row(
            "per-chunk transit, worker producer → client (CreateTime + 0.5 ms)",
            f(s.transit(), 50),
            f(s.transit(), 99),
            s.transit().count(),
            "")
        .note("Streams: " + s.streams() + " completed, " + s.errors() + " errors.");
    report.note("Load average after the streams: " + MachineInfo.loadAverage());
    report.publish();
    if (clients > 0) {
      BenchReport embeddings =
          embeddings(
              "GenerativeBenchmark " + String.join(" ", args),
              url,
              embedModel,
              clients,
              warmup.dividedBy(2),
              embedDuration);
      embeddings.note("Load average after the run: " + MachineInfo.loadAverage());
      embeddings.publish();
    }
    System.exit(0);
  }

  private static BenchReport embeddings(
      String command, String url, String model, int clients, Duration warmup, Duration duration)
      throws Exception {
    BenchReport report =
        new BenchReport("Issue 13 — generative: MiniLM embeddings", command)
            .setting(
                "load",
                clients + " client threads, closed loop, " + duration.toSeconds() + " s per row")
            .columns("batch", "via", "sentences/s", "call p50 ms", "call p99 ms", "errors");
    Path dir = Files.createTempDirectory("kaskade-bench-minilm");
    try (LoadedModel direct =
        new HuggingFaceBackend()
            .load(
                new ModelSource(
                    model,
                    "direct",
                    MiniLm.writeModel(dir.resolve("minilm")),
                    "huggingface",
                    Map.of("args.task", "text_embedding")))) {
      for (int batch : new int[] {1, 32}) {
        EmbeddingLoad.Result g =
            EmbeddingLoad.run(EmbeddingLoad.gateway(url, model), batch, clients, warmup, duration);
        EmbeddingLoad.Result d =
            EmbeddingLoad.run(EmbeddingLoad.direct(direct), batch, clients, warmup, duration);
        row(report, batch, "`/openai/v1/embeddings` (gateway, Kafka, worker)", g);
        row(report, batch, "same model in this JVM (tokenizer + ONNX Runtime)", d);
        report.note(
            "batch %d: through the gateway %s %% fewer sentences/s than direct; call p50 %s ms more"
                .formatted(
                    batch,
                    BenchReport.fmt(100 * (1 - g.sentencesPerSecond() / d.sentencesPerSecond())),
                    BenchReport.fmt(g.latency().millis(50) - d.latency().millis(50))));
      }
    }
    return report;
  }

  private static void row(BenchReport report, int batch, String via, EmbeddingLoad.Result r) {
    report.row(
        batch,
        via,
        BenchReport.fmt(r.sentencesPerSecond()),
        BenchReport.fmt(r.latency().millis(50)),
        BenchReport.fmt(r.latency().millis(99)),
        r.latency().errors());
  }

  private static String f(Samples s, double p) {
    return BenchReport.fmt(s.percentile(p));
  }
}
