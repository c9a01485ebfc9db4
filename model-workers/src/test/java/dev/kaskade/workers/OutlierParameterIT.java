package dev.kaskade.workers;

import static dev.kaskade.workers.testing.Fixtures.inferenceService;
import static dev.kaskade.workers.testing.Fixtures.predictor;
import static dev.kaskade.workers.testing.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.testing.KafkaTestEnv;
import dev.kaskade.workers.testing.LinearModel;
import dev.kaskade.workers.testing.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outlier response parameter end to end: monitor settings on the control topic → answers. */
class OutlierParameterIT {
  private static final String NS = "default";
  private static final Duration WAIT = Duration.ofSeconds(30);
  // Mean (1.75, 2, 3, 4); every feature varies, so the covariance is regular.
  private static final String REFERENCE =
      "[[1,2,3,4],[2,1,3,5],[1,3,4,4],[2,2,2,3],[3,2,3,4],[1,2,4,5],[2,3,3,4],[2,1,2,3]]";
  private static final float[] TYPICAL = {1.75f, 2, 3, 4};
  private static final float[] FAR = {20, 20, 20, 20};

  private final KaskadeContext ctx =
      KafkaTestEnv.context(KafkaTestEnv.uniquePrefix(), Map.of("worker.id", "w1"));
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private String deploy(String isvc, String monitorJson) throws Exception {
    PredictorSpec predictor = predictor(isvc + "-predictor-1", "mem://" + isvc, null);
    InferenceServiceSpec spec =
        InferenceServiceSpec.newBuilder()
            .setPredictor(predictor)
            .setMonitorJson(monitorJson)
            .build();
    KafkaTestEnv.publish(ctx, inferenceService(NS, isvc, spec));
    WorkerComponent worker =
        new WorkerComponent(ctx, new SimpleMeterRegistry(), load -> new LinearModel());
    closeables.add(worker);
    worker.start();
    return ctx.topics().predictor(NS, isvc, predictor.getRevision());
  }

  private TopicReader<InferenceResponse> responses(String isvc) {
    var reader = new TopicReader<>(ctx.topics().responses(NS, isvc), InferenceResponse.class);
    closeables.add(reader);
    return reader;
  }

  private static InferenceResponse answerTo(TopicReader<InferenceResponse> reader, String id) {
    InferenceResponse response = reader.awaitRecord(r -> r.key().equals(id), WAIT).value();
    assertThat(response.getError()).as("error of %s", id).isNull();
    return response;
  }

  @Test
  void shouldScoreEachResponseAgainstTheReferenceWhenTheManifestEnablesTheParameter()
      throws Exception {
    String topic =
        deploy(
            "odd",
            """
            {"feature_names":["a","b","c","d"],
             "outlier":{"reference":%s,"p":0.99,"response_parameter":true}}"""
                .formatted(REFERENCE));
    var responses = responses("odd");

    KafkaTestEnv.send(topic, "typical", request("typical", "odd", TYPICAL));
    KafkaTestEnv.send(topic, "far", request("far", "odd", FAR));
    KafkaTestEnv.send(topic, "both", request("both", "odd", TYPICAL, FAR));

    InferenceResponse typical = answerTo(responses, "typical");
    assertThat(Double.parseDouble(typical.getParameters().get("outlier_score"))).isLessThan(0.01);
    assertThat(typical.getParameters()).containsEntry("outlier", "false");
    assertThat(Tensors.toFloats(typical.getOutputs().get(0)))
        .containsExactly(LinearModel.expected(TYPICAL));

    InferenceResponse far = answerTo(responses, "far");
    assertThat(Double.parseDouble(far.getParameters().get("outlier_score"))).isGreaterThan(10);
    assertThat(far.getParameters()).containsEntry("outlier", "true");

    InferenceResponse both = answerTo(responses, "both");
    assertThat(both.getParameters().get("outlier_score")).matches("\\[[0-9.E-]+,[0-9.E-]+\\]");
    assertThat(both.getParameters()).containsEntry("outlier", "[false,true]");
  }

  @Test
  void shouldAnswerWithoutTheParameterWhenTheReferenceIsOnlyLearntFromTraffic() throws Exception {
    String topic =
        deploy("learnt", "{\"outlier\":{\"reference_size\":10,\"response_parameter\":true}}");
    var responses = responses("learnt");

    KafkaTestEnv.send(topic, "r1", request("r1", "learnt", FAR));

    InferenceResponse response = answerTo(responses, "r1");
    assertThat(response.getParameters()).doesNotContainKeys("outlier_score", "outlier");
    assertThat(Tensors.toFloats(response.getOutputs().get(0)))
        .containsExactly(LinearModel.expected(FAR));
  }
}
