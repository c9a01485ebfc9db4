package dev.kaskade.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ModelState;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.route.ScaleToZeroRules;
import dev.kaskade.schemas.route.TrafficSplit;
import dev.kaskade.schemas.topic.Topics;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private final Topics topics = Topics.withDefaultPrefix();
  private final RoutingTable table = new RoutingTable(topics);

  private void isvc(String name, dev.kaskade.events.InferenceServiceSpec spec) {
    table.applyResource(
        ResourceKeys.resource("InferenceService", "default", name),
        Resources.isvc("default", name, spec));
  }

  private void status(String name, String rev, ModelState state) {
    ComponentStatus s =
        Resources.predictorStatus("default", name, rev, state, Resources.IRIS_METADATA);
    table.applyStatus(
        ResourceKeys.status("InferenceService", "default", name, "predictor", rev, "w1"), s);
  }

  private static Reason reasonOf(Runnable r) {
    try {
      r.run();
    } catch (KaskadeException e) {
      return e.reason();
    }
    return null;
  }

  @Test
  void unknownModelIsNotFound() {
    assertThat(reasonOf(() -> table.route("default", "iris", "r1", null)))
        .isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void modelWithoutReadyRevisionIsUnavailable() {
    isvc("iris", Resources.spec("rev-a").build());
    status("iris", "rev-a", ModelState.Loading);

    assertThat(table.isReady("default", "iris", null)).isFalse();
    assertThatThrownBy(() -> table.route("default", "iris", "r1", null))
        .hasMessage("Model with name iris is not ready.");
  }

  @Test
  void readyModelRoutesToItsPredictorTopicWithMetadata() {
    isvc("iris", Resources.spec("rev-a").build());
    status("iris", "rev-a", ModelState.Ready);

    Route route = table.route("default", "iris", "r1", null);

    assertThat(route.topic()).isEqualTo(topics.predictor("default", "iris", "rev-a"));
    assertThat(route.revision()).isEqualTo("rev-a");
    assertThat(route.metadata().inputs()).hasSize(1);
    assertThat(route.jsonPassThrough()).isFalse();
  }

  @Test
  void metadataFollowsTheLatestStatusOfEachInstance() {
    isvc("iris", Resources.spec("rev-a").build());
    String key =
        ResourceKeys.status("InferenceService", "default", "iris", "predictor", "rev-a", "w1");
    status("iris", "rev-a", ModelState.Ready);
    assertThat(table.route("default", "iris", "r1", null).metadata().inputs()).hasSize(1);

    table.applyStatus(
        key,
        Resources.predictorStatus(
            "default",
            "iris",
            "rev-a",
            ModelState.Ready,
            """
            {"name": "iris", "platform": "onnx", "inputs": [
              {"name": "a", "datatype": "FP32", "shape": [-1, 4]},
              {"name": "b", "datatype": "INT64", "shape": [-1, 1]}], "outputs": []}"""));
    assertThat(table.route("default", "iris", "r2", null).metadata().inputs())
        .extracting(ModelMetadata.TensorSpec::name)
        .containsExactly("a", "b");

    table.applyStatus(
        key, Resources.predictorStatus("default", "iris", "rev-a", ModelState.Ready, "{not json"));
    assertThat(table.route("default", "iris", "r3", null).metadata().inputs())
        .as("malformed metadata: none, not the previous")
        .isEmpty();

    table.applyStatus(key, null);
    assertThat(table.isReady("default", "iris", null)).isFalse();
  }

  @Test
  void readyFromAnyInstanceCounts() {
    isvc("iris", Resources.spec("rev-a").build());
    status("iris", "rev-a", ModelState.Loading);
    ComponentStatus other =
        Resources.predictorStatus("default", "iris", "rev-a", ModelState.Ready, null);
    table.applyStatus(
        ResourceKeys.status("InferenceService", "default", "iris", "predictor", "rev-a", "w2"),
        other);

    assertThat(table.isReady("default", "iris", null)).isTrue();
  }

  @Test
  void canarySplitFollowsTrafficSplitWhenBothRevisionsAreReady() {
    var spec = Resources.canary("new", "old", 30);
    isvc("iris", spec);
    status("iris", "new", ModelState.Ready);
    status("iris", "old", ModelState.Ready);

    for (int i = 0; i < 50; i++) {
      String id = "req-" + i;
      assertThat(table.route("default", "iris", id, null).revision())
          .isEqualTo(TrafficSplit.revisionFor(id, spec));
    }
  }

  @Test
  void canaryRevisionThatIsNotReadyGetsNoTraffic() {
    isvc("iris", Resources.canary("new", "old", 90));
    status("iris", "new", ModelState.FailedToLoad);
    status("iris", "old", ModelState.Ready);

    for (int i = 0; i < 20; i++) {
      assertThat(table.route("default", "iris", "req-" + i, null).revision()).isEqualTo("old");
    }
  }

  @Test
  void pinnedVersionMustBeKnownAndReady() {
    isvc("iris", Resources.canary("new", "old", 50));
    status("iris", "old", ModelState.Ready);

    assertThat(table.route("default", "iris", "r", "old").revision()).isEqualTo("old");
    assertThat(reasonOf(() -> table.route("default", "iris", "r", "new")))
        .isEqualTo(Reason.UNAVAILABLE);
    assertThat(reasonOf(() -> table.route("default", "iris", "r", "other")))
        .isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void transformerMakesTheRequestsTopicTheEntry() {
    isvc("iris", Resources.withTransformer("rev-a"));
    status("iris", "rev-a", ModelState.Ready);

    Route route = table.route("default", "iris", "r1", null);

    assertThat(route.topic()).isEqualTo(topics.requests("default", "iris"));
    assertThat(route.jsonPassThrough()).isTrue();
  }

  @Test
  void explainNeedsAnExplainer() {
    isvc("iris", Resources.spec("rev-a").build());
    isvc("explained", Resources.withExplainer("rev-b"));
    status("iris", "rev-a", ModelState.Ready);
    status("explained", "rev-b", ModelState.Ready);

    assertThat(reasonOf(() -> table.explainRoute("default", "iris")))
        .isEqualTo(Reason.UNIMPLEMENTED);
    assertThat(table.explainRoute("default", "explained").topic())
        .isEqualTo(topics.explainRequests("default", "explained"));
  }

  @Test
  void graphsAndTrainedModelsAreServedByName() {
    isvc("parent", multiModel("rev-p"));
    status("parent", "rev-p", ModelState.Ready);
    table.applyResource(
        ResourceKeys.resource("TrainedModel", "default", "tm"),
        Resources.trainedModel("default", "tm", "parent"));
    table.applyResource(
        ResourceKeys.resource("InferenceGraph", "default", "g"), Resources.graph("default", "g"));

    assertThat(table.modelNames("default")).containsExactly("g", "parent", "tm");
    assertThat(table.route("default", "g", "r", null).topic())
        .isEqualTo(topics.graphRequests("default", "g"));
    Route tm = table.route("default", "tm", "r", null);
    assertThat(tm.topic()).isEqualTo(topics.predictor("default", "parent", "rev-p"));
    assertThat(tm.model()).isEqualTo("tm");
  }

  @Test
  void tombstoneRemovesTheModel() {
    isvc("iris", Resources.spec("rev-a").build());
    table.applyResource(ResourceKeys.resource("InferenceService", "default", "iris"), null);

    assertThat(table.exists("default", "iris")).isFalse();
  }

  @Test
  void predictorTimeoutBecomesTheRouteDeadline() {
    var spec = Resources.spec("rev-a").setPredictor(Resources.predictor("rev-a", 7L)).build();
    isvc("iris", spec);
    status("iris", "rev-a", ModelState.Ready);

    assertThat(table.route("default", "iris", "r", null).timeoutMs()).isEqualTo(7000);
  }

  private static dev.kaskade.events.InferenceServiceSpec multiModel(String rev) {
    var predictor = Resources.predictor(rev, null);
    predictor.setMultiModel(true);
    return Resources.spec(rev).setPredictor(predictor).build();
  }

  private void trainedModel(String name, String parent, ModelState state, String reason) {
    table.applyResource(
        ResourceKeys.resource("TrainedModel", "default", name),
        Resources.trainedModel("default", name, parent));
    if (state != null) {
      ComponentStatus s = Resources.predictorStatus("default", name, "rev-p", state, null);
      s.setKind("TrainedModel");
      s.setReason(reason);
      table.applyStatus(
          ResourceKeys.status("TrainedModel", "default", name, "predictor", "rev-p", "w1"), s);
    }
  }

  @Test
  void evictedTrainedModelIsRoutedSoItsWorkerLoadsItAgain() {
    isvc("parent", multiModel("rev-p"));
    status("parent", "rev-p", ModelState.Ready);
    trainedModel("tm", "parent", ModelState.Unloaded, "Evicted");

    assertThat(table.isReady("default", "tm", null)).isTrue();
    assertThat(table.route("default", "tm", "r", null).topic())
        .isEqualTo(topics.predictor("default", "parent", "rev-p"));
  }

  @Test
  void trainedModelThatFailedToLoadIsUnavailable() {
    isvc("parent", multiModel("rev-p"));
    status("parent", "rev-p", ModelState.Ready);
    trainedModel("tm", "parent", ModelState.FailedToLoad, "ModelLoadFailed");

    assertThat(reasonOf(() -> table.route("default", "tm", "r", null)))
        .isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void trainedModelOfASingleModelServiceIsNotFoundSayingWhatItNeeds() {
    isvc("parent", Resources.spec("rev-p").build());
    status("parent", "rev-p", ModelState.Ready);
    trainedModel("tm", "parent", null, null);

    assertThatThrownBy(() -> table.route("default", "tm", "r", null))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining("multiModel: true")
        .hasMessageContaining("ModelMesh");
  }

  private static dev.kaskade.events.InferenceServiceSpec minReplicas(String rev, int min) {
    var predictor = Resources.predictor(rev, null);
    predictor.setMinReplicas(min);
    return Resources.spec(rev).setPredictor(predictor).build();
  }

  @Test
  void revisionScaledToZeroIsRoutedWithItsLastMetadataSoWaitingRequestsWakeItsWorker() {
    isvc("iris", minReplicas("rev-a", 0));
    ComponentStatus asleep =
        Resources.predictorStatus(
            "default", "iris", "rev-a", ModelState.Unloaded, Resources.IRIS_METADATA);
    asleep.setReason(ScaleToZeroRules.SCALED_TO_ZERO);
    table.applyStatus(
        ResourceKeys.status("InferenceService", "default", "iris", "predictor", "rev-a", "w1"),
        asleep);

    assertThat(table.isReady("default", "iris", null)).isTrue();
    Route route = table.route("default", "iris", "r1", null);
    assertThat(route.topic()).isEqualTo(topics.predictor("default", "iris", "rev-a"));
    assertThat(route.metadata().inputs()).hasSize(1);
  }

  @Test
  void minZeroRevisionThatNoWorkerReportedYetIsRoutedButMinOneIsNot() {
    isvc("iris", minReplicas("rev-a", 0));
    isvc("wine", minReplicas("rev-w", 1));

    assertThat(table.route("default", "iris", "r1", null).revision()).isEqualTo("rev-a");
    assertThat(table.isReady("default", "wine", null)).isFalse();
  }

  @Test
  void plainUnloadedRevisionIsNotRoutedEvenWithMinZero() {
    isvc("iris", minReplicas("rev-a", 0));
    status("iris", "rev-a", ModelState.Unloaded);

    assertThat(table.isReady("default", "iris", null)).isFalse();
  }

  @Test
  void wokenMinZeroRevisionStillLoadingIsRoutedAndAMinOneRevisionLoadingIsNot() {
    isvc("iris", minReplicas("rev-a", 0));
    status("iris", "rev-a", ModelState.Loading);
    isvc("wine", minReplicas("rev-w", 1));
    status("wine", "rev-w", ModelState.Loading);

    assertThat(table.isReady("default", "iris", null)).isTrue();
    assertThat(table.isReady("default", "wine", null)).isFalse();
  }
}
