package dev.kaskade.workers;

import static dev.kaskade.workers.testing.Fixtures.inferenceService;
import static dev.kaskade.workers.testing.Fixtures.request;
import static dev.kaskade.workers.testing.Fixtures.trainedModel;
import static dev.kaskade.workers.testing.KafkaTestEnv.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.testing.KafkaTestEnv;
import dev.kaskade.workers.testing.LinearModel;
import dev.kaskade.workers.testing.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** ModelMesh-style density: TrainedModels load on first request and are evicted LRU. */
class MultiModelIT {
  private static final String NS = "default";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void loadsTrainedModelsOnDemandAndEvictsTheLeastRecentlyUsed() throws Exception {
    KaskadeContext ctx =
        KafkaTestEnv.context(
            KafkaTestEnv.uniquePrefix(),
            Map.of("worker.id", "mm1", "worker.memory.budget.bytes", "1500"));
    PredictorSpec runtime =
        PredictorSpec.newBuilder()
            .setRevision("mm-predictor-1")
            .setModelFormat("onnx")
            .setMultiModel(true)
            .build();
    KafkaTestEnv.publish(ctx, inferenceService(NS, "mm", runtime));
    KafkaTestEnv.publish(ctx, trainedModel(NS, "tm-a", "mm", "mem://a"));
    KafkaTestEnv.publish(ctx, trainedModel(NS, "tm-b", "mm", "mem://b"));
    List<String> loads = new CopyOnWriteArrayList<>();
    String topic = ctx.topics().predictor(NS, "mm", "mm-predictor-1");

    try (var worker =
            new WorkerComponent(
                ctx,
                new SimpleMeterRegistry(),
                load -> {
                  loads.add(load.name() + "@" + load.storageUri());
                  return new LinearModel(1000);
                });
        var responses =
            new TopicReader<>(ctx.topics().responses(NS, "mm"), InferenceResponse.class);
        var statuses = new TopicReader<>(ctx.topics().controlStatus(), ComponentStatus.class)) {
      worker.start();
      send(topic, "1", "tm-a");
      assertThat(answer(responses, "1").getModel()).isEqualTo("tm-a");
      send(topic, "2", "tm-b");
      assertThat(answer(responses, "2").getError()).isNull();

      statuses.awaitRecord(
          s ->
              s.value().getName().equals("tm-a")
                  && s.value().getKind().equals("TrainedModel")
                  && s.value().getState() == ModelState.Unloaded
                  && "Evicted".equals(s.value().getReason()),
          WAIT);
      // a V1 `instances` call names its tensor input-0 when the gateway has no metadata yet
      KafkaTestEnv.send(
          topic,
          "3",
          request("3", "tm-a", Tensors.ofFloats("input-0", List.of(1L, 4L), new float[4])),
          header(KaskadeHeaders.MODEL, "tm-a"));
      assertThat(answer(responses, "3").getError()).isNull();
      assertThat(loads).containsExactly("tm-a@mem://a", "tm-b@mem://b", "tm-a@mem://a");

      KafkaTestEnv.send(ctx.topics().controlResources(), "TrainedModel/" + NS + "/tm-a", null);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  statuses.poll().stream()
                      .filter(s -> s.value() != null && s.value().getName().equals("tm-a"))
                      .filter(s -> s.value().getState() == ModelState.Unloaded)
                      .count(),
              unloads -> unloads == 2);
      send(topic, "5", "tm-a");
      assertThat(answer(responses, "5").getError().getCode()).isEqualTo("NOT_FOUND");

      send(topic, "4", "tm-unknown");
      InferenceResponse unknown = answer(responses, "4");
      assertThat(unknown.getError().getCode()).isEqualTo("NOT_FOUND");
      assertThat(unknown.getError().getMessage()).contains("tm-unknown");
    }
  }

  private static void send(String topic, String id, String model) {
    KafkaTestEnv.send(
        topic,
        id,
        request(id, model, new float[] {1, 2, 3, 4}),
        header(KaskadeHeaders.MODEL, model));
  }

  private static InferenceResponse answer(TopicReader<InferenceResponse> reader, String id) {
    return reader.awaitRecord(r -> r.key().equals(id), WAIT).value();
  }
}
