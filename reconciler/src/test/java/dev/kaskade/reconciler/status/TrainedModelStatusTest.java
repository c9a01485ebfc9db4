package dev.kaskade.reconciler.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.model.ResourceStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainedModelStatusTest {
  private final List<Plan> plans =
      Fixtures.planAll(Fixtures.stateWithBuiltIns(), "onnx-style.yaml", "trainedmodel.yaml");
  private final ResourceEvent singleModel = plans.get(0).event();
  private final ResourceEvent trainedModel = plans.get(1).event();
  private final ResourceEvent multiModel = withMultiModel(singleModel);

  private static ResourceEvent withMultiModel(ResourceEvent parent) {
    InferenceServiceSpec spec = (InferenceServiceSpec) parent.getSpec();
    PredictorSpec predictor =
        PredictorSpec.newBuilder(spec.getPredictor()).setMultiModel(true).build();
    return ResourceEvent.newBuilder(parent)
        .setSpec(InferenceServiceSpec.newBuilder(spec).setPredictor(predictor).build())
        .build();
  }

  private static InferenceServiceStatus readyStatusOf(ResourceEvent parent) {
    String revision = ((InferenceServiceSpec) parent.getSpec()).getPredictor().getRevision();
    return StatusAggregator.inferenceService(
        parent,
        List.of(report(parent.getName(), "predictor", revision, ModelState.Ready, null)),
        "example.com");
  }

  private static ComponentStatus report(
      String name, String component, String revision, ModelState state, String reason) {
    return ComponentStatus.newBuilder()
        .setKind("TrainedModel")
        .setNamespace("default")
        .setName(name)
        .setComponent(component)
        .setRevision(revision)
        .setState(state)
        .setReason(reason)
        .setInstance("worker-1")
        .build();
  }

  private ResourceStatus statusWith(ComponentStatus... own) {
    return TrainedModelStatus.of(trainedModel, List.of(own), multiModel, readyStatusOf(multiModel));
  }

  private static Condition ready(ResourceStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void trainedModelOfASingleModelServiceIsNotReadyAndSaysWhatItNeeds() {
    ResourceStatus status =
        TrainedModelStatus.of(trainedModel, List.of(), singleModel, readyStatusOf(singleModel));

    assertThat(status.getUrl())
        .isEqualTo("http://style-sample.default.example.com/v2/models/model1/infer");
    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getStatus)
        .containsExactly(
            tuple("InferenceServiceReady", "True"),
            tuple("IsMMSPredictor", "False"),
            tuple("Ready", "False"));
    assertThat(ready(status).getReason()).isEqualTo(TrainedModelStatus.NOT_MULTI_MODEL);
    assertThat(ready(status).getMessage()).contains("multiModel: true", "ModelMesh");
  }

  @Test
  void evictedTrainedModelIsReadyAndShowsEvicted() {
    ResourceStatus status =
        statusWith(report("model1", "predictor", "r", ModelState.Unloaded, "Evicted"));

    assertThat(status.getModelState()).isEqualTo("Evicted");
    assertThat(ready(status).getStatus()).isEqualTo("True");
    assertThat(ready(status).getReason()).isEqualTo("Evicted");
  }

  @Test
  void loadedOnOneWorkerWinsOverEvictedOnAnother() {
    ComponentStatus evicted = report("model1", "predictor", "r", ModelState.Unloaded, "Evicted");
    ComponentStatus loaded =
        ComponentStatus.newBuilder(report("model1", "predictor", "r", ModelState.Ready, "Loaded"))
            .setInstance("worker-2")
            .build();

    assertThat(statusWith(evicted, loaded).getModelState()).isEqualTo("Loaded");
  }

  @Test
  void failedLoadMakesTheTrainedModelNotReady() {
    ComponentStatus failed =
        ComponentStatus.newBuilder(
                report("model1", "predictor", "r", ModelState.FailedToLoad, "ModelLoadFailed"))
            .setMessage("no such file")
            .build();

    ResourceStatus status = statusWith(failed);

    assertThat(status.getModelState()).isEqualTo("FailedToLoad");
    assertThat(ready(status).getStatus()).isEqualTo("False");
    assertThat(ready(status).getMessage()).isEqualTo("no such file");
  }

  @Test
  void neverLoadedTrainedModelOfAReadyParentIsReady() {
    ResourceStatus status = statusWith();

    assertThat(status.getModelState()).isEqualTo("NotLoaded");
    assertThat(ready(status).getStatus()).isEqualTo("True");
  }

  @Test
  void aFailedLoadOutranksALoadOnAnotherInstanceAsTheGatewayRefusesIt() {
    ComponentStatus failed =
        report("model1", "predictor", "r", ModelState.FailedToLoad, "ModelLoadFailed");
    ComponentStatus loading =
        ComponentStatus.newBuilder(
                report("model1", "predictor", "r", ModelState.Loading, "Loading"))
            .setInstance("worker-2")
            .build();

    ResourceStatus status = statusWith(loading, failed);

    assertThat(status.getModelState()).isEqualTo("FailedToLoad");
    assertThat(ready(status).getStatus()).isEqualTo("False");
  }
}
