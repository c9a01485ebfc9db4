package dev.kaskade.workers.worker;

import static dev.kaskade.workers.testing.Fixtures.inferenceService;
import static dev.kaskade.workers.testing.Fixtures.predictor;
import static dev.kaskade.workers.testing.Fixtures.trainedModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceServiceSpec;
import org.junit.jupiter.api.Test;

class ControlStateTest {
  private final ControlState state = new ControlState();

  @Test
  void servesThePreviousRevisionWhileTheControlPlaneKeepsIt() {
    InferenceServiceSpec spec =
        InferenceServiceSpec.newBuilder()
            .setPredictor(predictor("r2", "/m", null))
            .setPreviousPredictor(predictor("r1", "/m", null))
            .setCanaryTrafficPercent(20)
            .build();
    state.apply("InferenceService/ns/iris", inferenceService("ns", "iris", spec));
    assertThat(state.revisions()).containsOnlyKeys("ns/iris/r2", "ns/iris/r1");

    // a promotion waiting for r2 to be ready keeps r1 serving
    spec.setCanaryTrafficPercent(null);
    state.apply("InferenceService/ns/iris", inferenceService("ns", "iris", spec));
    assertThat(state.revisions()).containsOnlyKeys("ns/iris/r2", "ns/iris/r1");

    spec.setPreviousPredictor(null);
    state.apply("InferenceService/ns/iris", inferenceService("ns", "iris", spec));
    assertThat(state.revisions()).containsOnlyKeys("ns/iris/r2");
  }

  @Test
  void tombstoneRemovesTheResource() {
    state.apply(
        "InferenceService/ns/iris", inferenceService("ns", "iris", predictor("r1", "/m", null)));
    state.apply("InferenceService/ns/iris", null);
    assertThat(state.revisions()).isEmpty();
    assertThat(state.inferenceService("ns", "iris")).isEmpty();
  }

  @Test
  void findsTrainedModelsOfTheirParent() {
    state.apply("TrainedModel/ns/a", trainedModel("ns", "a", "mm", "/a"));
    state.apply("TrainedModel/ns/b", trainedModel("ns", "b", "other", "/b"));
    state.apply("TrainedModel/other/c", trainedModel("other", "c", "mm", "/c"));
    assertThat(state.trainedModels("ns", "mm")).containsOnlyKeys("a");
  }
}
