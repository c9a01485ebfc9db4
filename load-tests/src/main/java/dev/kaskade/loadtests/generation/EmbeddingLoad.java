package dev.kaskade.loadtests.generation;

import dev.kaskade.events.Tensor;
import dev.kaskade.loadtests.harness.LatencyRecorder;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.LoadedModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop embedding load with {@code clients} threads, each embedding {@code batch} sentences
 * per call, either through the gateway's {@code /openai/v1/embeddings} (base64, as the SDKs ask) or
 * straight into the worker's model in this JVM (tokenizer + ONNX Runtime + pooling, no Kafka, no
 * HTTP). Sentences/s and per-call latency.
 */
final class EmbeddingLoad {
  /** What one phase measured. */
  record Result(double sentencesPerSecond, LatencyRecorder latency) {}

  /** One call of {@code batch} sentences. */
  interface Call {
    void embed(List<String> sentences) throws Exception;
  }

  static final List<String> SENTENCES =
      List.of(
          "A man is playing a guitar.",
          "Kafka keeps every request and every answer.",
          "The gateway streams tokens as server-sent events.",
          "Someone plays the guitar on a stage.",
          "The stock market fell sharply this morning.",
          "Embeddings map sentences to vectors of 384 numbers.",
          "A worker that crashes hands its partitions to another.",
          "The weather is sunny with a light breeze.");

  private EmbeddingLoad() {}

  static Call gateway(String baseUrl, String model) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create(baseUrl + "/openai/v1/embeddings");
    return sentences -> {
      String body =
          new JsonObject()
              .put("model", model)
              .put("input", new JsonArray(new ArrayList<>(sentences)))
              .put("encoding_format", "base64")
              .encode();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200
          || new JsonObject(r.body()).getJsonArray("data").size() != sentences.size()) {
        throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
      }
    };
  }

  static Call direct(LoadedModel model) {
    return sentences -> {
      Tensor input = Tensors.ofStrings("text", List.of((long) sentences.size()), sentences);
      if (model.infer(List.of(input), Set.of()).isEmpty()) {
        throw new IllegalStateException("no output");
      }
    };
  }

  static Result run(Call call, int batch, int clients, Duration warmup, Duration duration)
      throws InterruptedException {
    List<String> sentences = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      sentences.add(SENTENCES.get(i % SENTENCES.size()) + " " + i);
    }
    LatencyRecorder latency = new LatencyRecorder();
    AtomicLong measuredCalls = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      long t0 = System.nanoTime();
                      try {
                        call.embed(sentences);
                      } catch (Exception e) {
                        latency.error();
                        continue;
                      }
                      if (t0 >= measureFrom) {
                        latency.record(System.nanoTime() - t0);
                        measuredCalls.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = duration.toNanos() / 1e9;
    return new Result(measuredCalls.get() * batch / seconds, latency);
  }
}
