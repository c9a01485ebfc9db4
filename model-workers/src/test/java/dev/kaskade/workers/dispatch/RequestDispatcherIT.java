package dev.kaskade.workers.dispatch;

import static dev.kaskade.workers.testing.Fixtures.inferenceService;
import static dev.kaskade.workers.testing.Fixtures.predictor;
import static dev.kaskade.workers.testing.Fixtures.request;
import static dev.kaskade.workers.testing.KafkaTestEnv.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.route.TrafficSplit;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.testing.KafkaTestEnv;
import dev.kaskade.workers.testing.LinearModel;
import dev.kaskade.workers.testing.TopicReader;
import dev.kaskade.workers.testing.TopicReader.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Requests topic → canary split → predictor revisions → responses. */
class RequestDispatcherIT {
  private static final String NS = "default";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void routesRequestsToRevisionsByTheCanarySplitAndRejectsUnknownServices() throws Exception {
    KaskadeContext ctx =
        KafkaTestEnv.context(KafkaTestEnv.uniquePrefix(), Map.of("worker.id", "d1"));
    InferenceServiceSpec spec =
        InferenceServiceSpec.newBuilder()
            .setPredictor(predictor("cn-predictor-2", "mem://2", null))
            .setPreviousPredictor(predictor("cn-predictor-1", "mem://1", null))
            .setCanaryTrafficPercent(50)
            .build();
    KafkaTestEnv.publish(ctx, inferenceService(NS, "cn", spec));
    ctx.provisioner().ensure(ctx.topicSpecs().inferenceServiceTopics(NS, "cn", "cn-predictor-2"));
    ctx.provisioner().ensure(ctx.topicSpecs().inferenceServiceTopics(NS, "ghost", "x"));

    try (var worker =
            new WorkerComponent(ctx, new SimpleMeterRegistry(), load -> new LinearModel());
        var dispatcher = new RequestDispatcher(ctx);
        var responses =
            new TopicReader<>(ctx.topics().responses(NS, "cn"), InferenceResponse.class);
        var ghost =
            new TopicReader<>(ctx.topics().responses(NS, "ghost"), InferenceResponse.class)) {
      worker.start();
      dispatcher.start();
      String requests = ctx.topics().requests(NS, "cn");
      for (int i = 0; i < 20; i++) {
        KafkaTestEnv.send(requests, "id-" + i, request("id-" + i, "cn", new float[] {1, 1, 1, 1}));
      }
      KafkaTestEnv.send(
          requests,
          "pinned",
          request("pinned", "cn", new float[] {1, 1, 1, 1}),
          header(KaskadeHeaders.MODEL_VERSION, "cn-predictor-1"));

      Set<String> versions = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        String id = "id-" + i;
        InferenceResponse response = responses.awaitRecord(r -> r.key().equals(id), WAIT).value();
        assertThat(response.getError()).isNull();
        assertThat(response.getModelVersion()).isEqualTo(TrafficSplit.revisionFor(id, spec));
        versions.add(response.getModelVersion());
      }
      assertThat(versions).containsExactlyInAnyOrder("cn-predictor-1", "cn-predictor-2");
      assertThat(
              responses.awaitRecord(r -> r.key().equals("pinned"), WAIT).value().getModelVersion())
          .isEqualTo("cn-predictor-1");

      KafkaTestEnv.send(
          ctx.topics().requests(NS, "ghost"),
          "g1",
          request("g1", "ghost", new float[] {1, 1, 1, 1}));
      Received<InferenceResponse> notFound = ghost.awaitRecord(r -> r.key().equals("g1"), WAIT);
      assertThat(notFound.value().getError().getCode()).isEqualTo("NOT_FOUND");
      assertThat(notFound.value().getError().getMessage()).contains("default/ghost");
      await().atMost(WAIT).until(() -> responses.poll().size() == 21);
    }
  }
}
