package dev.kaskade.reconciler.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.core.ResourcePlanner;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.model.TrafficTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

  private static ComponentStatus status(ResourceEvent event, String revision, ModelState state) {
    return ComponentStatus.newBuilder()
        .setNamespace(event.getNamespace())
        .setName(event.getName())
        .setComponent("predictor")
        .setRevision(revision)
        .setState(state)
        .setInstance("worker-1")
        .setReason(state == ModelState.FailedToLoad ? "ModelLoadFailed" : null)
        .setMessage(state == ModelState.FailedToLoad ? "bad model file" : null)
        .setTimestampMs(1_700_000_000_000L)
        .build();
  }

  private static String condition(InferenceServiceStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(Condition::getStatus)
        .findFirst()
        .orElseThrow();
  }

  private static ResourceEvent event(String sample) {
    return Fixtures.planAll(Fixtures.stateWithBuiltIns(), sample).get(0).event();
  }

  @Test
  void readyWhenTheLatestRevisionReportsReady() {
    ResourceEvent event = event("canary-v1.yaml");
    String revision = ((InferenceServiceSpec) event.getSpec()).getPredictor().getRevision();
    InferenceServiceStatus status =
        StatusAggregator.inferenceService(
            event, List.of(status(event, revision, ModelState.Ready)), "example.com");
    assertThat(condition(status, "Ready")).isEqualTo("True");
    assertThat(condition(status, "PredictorReady")).isEqualTo("True");
    assertThat(condition(status, "IngressReady")).isEqualTo("True");
    assertThat(status.getUrl()).isEqualTo("http://flowers.default.example.com");
    assertThat(status.getAddress().getUrl())
        .isEqualTo("http://flowers-predictor.default.svc.cluster.local");
    assertThat(status.getComponents().get("predictor").getLatestReadyRevision())
        .isEqualTo(revision);
    assertThat(status.getModelStatus().getTransitionStatus()).isEqualTo("UpToDate");
    assertThat(status.getModelStatus().getStates().getActiveModelState()).isEqualTo("Loaded");
    assertThat(status.getClusterServingRuntimeName()).isEqualTo("kaskade-onnx");
  }

  @Test
  void unknownWhileNoWorkerReported() {
    ResourceEvent event = event("canary-v1.yaml");
    InferenceServiceStatus status = StatusAggregator.inferenceService(event, List.of(), "d");
    assertThat(condition(status, "Ready")).isEqualTo("Unknown");
    assertThat(status.getModelStatus().getTransitionStatus()).isEqualTo("InProgress");
  }

  @Test
  void failedLoadSetsReasonAndLastFailureInfo() {
    ResourceEvent event = event("canary-v1.yaml");
    String revision = ((InferenceServiceSpec) event.getSpec()).getPredictor().getRevision();
    InferenceServiceStatus status =
        StatusAggregator.inferenceService(
            event, List.of(status(event, revision, ModelState.FailedToLoad)), "d");
    Condition ready =
        status.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().get();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ModelLoadFailed");
    assertThat(ready.getMessage()).isEqualTo("bad model file");
    assertThat(status.getModelStatus().getTransitionStatus()).isEqualTo("BlockedByFailedLoad");
    assertThat(status.getModelStatus().getLastFailureInfo().getLocation()).isEqualTo("worker-1");
    assertThat(status.getModelStatus().getLastFailureInfo().getModelRevisionName())
        .isEqualTo(revision);
  }

  @Test
  void noSupportingRuntimeIsAnInvalidSpec() {
    Plan plan = Fixtures.planAll(Fixtures.stateWithBuiltIns(), "tensorflow-flowers.yaml").get(0);
    InferenceServiceStatus status =
        StatusAggregator.inferenceService(
            plan.event(), List.of(plan.statuses().get(0).value()), "d");
    assertThat(condition(status, "PredictorReady")).isEqualTo("False");
    assertThat(status.getModelStatus().getTransitionStatus()).isEqualTo("InvalidSpec");
    assertThat(status.getModelStatus().getLastFailureInfo().getReason())
        .isEqualTo("NoSupportingRuntime");
  }

  @Test
  void canarySplitsTrafficAndKeepsPreviousReadyRevision() {
    var state = Fixtures.stateWithBuiltIns();
    List<Plan> plans = Fixtures.planAll(state, "canary-v1.yaml", "canary-v2.yaml");
    ResourceEvent event = plans.get(1).event();
    InferenceServiceSpec spec = (InferenceServiceSpec) event.getSpec();
    String r1 = spec.getPreviousPredictor().getRevision();
    String r2 = spec.getPredictor().getRevision();
    InferenceServiceStatus notReady =
        StatusAggregator.inferenceService(event, List.of(status(event, r1, ModelState.Ready)), "d");
    // the gateway sends nothing to a revision that is not ready
    assertThat(notReady.getComponents().get("predictor").getTraffic())
        .extracting(TrafficTarget::getRevisionName, TrafficTarget::getPercent)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(r2, 0L),
            org.assertj.core.groups.Tuple.tuple(r1, 100L));
    assertThat(condition(notReady, "LatestDeploymentReady")).isEqualTo("Unknown");

    InferenceServiceStatus status =
        StatusAggregator.inferenceService(
            event,
            List.of(status(event, r1, ModelState.Ready), status(event, r2, ModelState.Ready)),
            "d");
    var predictor = status.getComponents().get("predictor");
    assertThat(predictor.getTraffic())
        .extracting(
            TrafficTarget::getRevisionName, TrafficTarget::getPercent, TrafficTarget::getTag)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(spec.getPredictor().getRevision(), 20L, "latest"),
            org.assertj.core.groups.Tuple.tuple(r1, 80L, "prev"));
    assertThat(notReady.getComponents().get("predictor").getLatestReadyRevision()).isEqualTo(r1);
    assertThat(predictor.getLatestRolledoutRevision()).isEqualTo(r1);
    assertThat(predictor.getLatestCreatedRevision()).isEqualTo(spec.getPredictor().getRevision());
  }

  @Test
  void aFailedNewRevisionLeavesTrafficOnThePreviousOneAndSaysWhy() {
    var state = Fixtures.stateWithBuiltIns();
    List<Plan> plans = Fixtures.planAll(state, "canary-v1.yaml", "canary-v2.yaml");
    String promoted =
        Fixtures.manifestText("canary-v2.yaml").replace("canaryTrafficPercent: 20", "");
    ResourceEvent event = ResourcePlanner.plan(Fixtures.yaml(promoted), state).event();
    InferenceServiceSpec spec = (InferenceServiceSpec) event.getSpec();
    String r1 = spec.getPreviousPredictor().getRevision();
    String r2 = spec.getPredictor().getRevision();
    InferenceServiceStatus status =
        StatusAggregator.inferenceService(
            event,
            List.of(
                status(event, r1, ModelState.Ready), status(event, r2, ModelState.FailedToLoad)),
            "d");
    assertThat(status.getComponents().get("predictor").getTraffic())
        .extracting(TrafficTarget::getRevisionName, TrafficTarget::getPercent)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(r2, 0L),
            org.assertj.core.groups.Tuple.tuple(r1, 100L));
    var latest =
        status.getConditions().stream()
            .filter(c -> c.getType().equals("LatestDeploymentReady"))
            .findFirst()
            .orElseThrow();
    assertThat(latest.getStatus()).isEqualTo("False");
    assertThat(latest.getReason()).isEqualTo("RevisionFailed");
    assertThat(latest.getMessage()).contains("bad model file").contains("traffic stays on " + r1);
    assertThat(status.getComponents().get("predictor").getRolloutHistory())
        .extracting(m -> m.get("reason"))
        .containsExactly("Promoted", "CanaryTrafficMoved", "AwaitingReadiness");
  }

  @Test
  void explainerIsPartOfReadyAsInKServe() {
    ResourceEvent event = event("canary-v1.yaml");
    InferenceServiceSpec spec = (InferenceServiceSpec) event.getSpec();
    ResourceEvent explained =
        ResourceEvent.newBuilder(event)
            .setSpec(
                InferenceServiceSpec.newBuilder(spec)
                    .setExplainer(dev.kaskade.events.ExplainerSpec.newBuilder().build())
                    .build())
            .build();
    String revision = spec.getPredictor().getRevision();
    ComponentStatus predictor = status(event, revision, ModelState.Ready);
    ComponentStatus explainer =
        ComponentStatus.newBuilder(predictor).setComponent("explainer").build();

    InferenceServiceStatus waiting =
        StatusAggregator.inferenceService(explained, List.of(predictor), "d");
    InferenceServiceStatus ready =
        StatusAggregator.inferenceService(explained, List.of(predictor, explainer), "d");

    assertThat(condition(waiting, "ExplainerReady")).isEqualTo("Unknown");
    assertThat(condition(waiting, "Ready")).isEqualTo("Unknown");
    assertThat(condition(ready, "Ready")).isEqualTo("True");
  }
}
