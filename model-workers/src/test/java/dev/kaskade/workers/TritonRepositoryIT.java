package dev.kaskade.workers;

import static dev.kaskade.workers.testing.Fixtures.inferenceService;
import static dev.kaskade.workers.testing.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.workers.testing.KafkaTestEnv;
import dev.kaskade.workers.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/triton's model repository served by the real worker over Kafka: config.pbtxt's
 * dynamic_batching merges single-row requests up to the preferred 8 rows, max_batch_size refuses a
 * larger request, and a config that disagrees with the model file is reported FailedToLoad.
 */
class TritonRepositoryIT {
  static final Path REPOSITORY =
      Path.of("..", "examples", "triton", "model_repository").toAbsolutePath().normalize();
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String NS = "default";
  static final float[] SETOSA = {5.1f, 3.5f, 1.4f, 0.2f};

  @TempDir Path tmp;

  @Test
  void theExampleRepositoryBatchesByItsConfigAndABadConfigIsNotReady() throws Exception {
    KaskadeContext ctx =
        KafkaTestEnv.context(KafkaTestEnv.uniquePrefix(), Map.of("worker.id", "triton"));
    Path bad = Files.createDirectories(tmp.resolve("bad/iris-triton/1"));
    Files.copy(REPOSITORY.resolve("iris-triton/1/model.onnx"), bad.resolve("model.onnx"));
    Files.writeString(
        bad.resolveSibling("config.pbtxt"),
        "max_batch_size: 8\ninput [ { name: \"features\", data_type: TYPE_FP32, dims: [4] } ]");
    String topic = deploy(ctx, "iris-triton", REPOSITORY);
    deploy(ctx, "bad-triton", tmp.resolve("bad"));
    try (WorkerComponent worker = new WorkerComponent(ctx);
        var statuses = new TopicReader<>(ctx.topics().controlStatus(), ComponentStatus.class);
        var responses =
            new TopicReader<>(ctx.topics().responses(NS, "iris-triton"), InferenceResponse.class)) {
      worker.start();
      ComponentStatus ready =
          statuses
              .awaitRecord(
                  s ->
                      s.value().getName().equals("iris-triton")
                          && s.value().getState() == ModelState.Ready,
                  WAIT)
              .value();
      assertThat(ready.getModelMetadataJson()).contains("\"input\"", "[-1,4]");
      ComponentStatus failed =
          statuses
              .awaitRecord(
                  s ->
                      s.value().getName().equals("bad-triton")
                          && s.value().getState() == ModelState.FailedToLoad,
                  WAIT)
              .value();
      assertThat(failed.getMessage()).contains("input 'features' is not an input");

      for (int i = 0; i < 12; i++) {
        KafkaTestEnv.send(topic, "r" + i, request("r" + i, "iris-triton", SETOSA));
      }
      float[][] nine = new float[9][];
      java.util.Arrays.fill(nine, SETOSA);
      KafkaTestEnv.send(topic, "nine", request("nine", "iris-triton", nine));

      List<Integer> batchSizes = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String id = "r" + i;
        InferenceResponse r = responses.awaitRecord(x -> x.key().equals(id), WAIT).value();
        assertThat(r.getError()).as(id).isNull();
        assertThat(r.getOutputs().get(0).getShape()).containsExactly(1L, 3L);
        batchSizes.add(r.getBatchSize());
      }
      assertThat(batchSizes).allMatch(size -> size <= 8).anyMatch(size -> size > 1);
      InferenceResponse tooLarge = responses.awaitRecord(x -> x.key().equals("nine"), WAIT).value();
      assertThat(tooLarge.getError().getCode()).isEqualTo("INVALID_ARGUMENT");
      assertThat(tooLarge.getError().getMessage()).contains("batch-size must be <= 8");
    }
  }

  private static String deploy(KaskadeContext ctx, String name, Path repository) {
    String revision = name + "-predictor-1";
    PredictorSpec predictor =
        PredictorSpec.newBuilder()
            .setRevision(revision)
            .setModelFormat("triton")
            .setStorageUri(repository.toUri().toString())
            .build();
    KafkaTestEnv.publish(ctx, inferenceService(NS, name, predictor));
    return ctx.topics().predictor(NS, name, revision);
  }
}
