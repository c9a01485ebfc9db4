package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ServingRuntimeSpec;
import dev.kaskade.events.TrainedModelSpec;
import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.publish.ControlSnapshot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcePlannerTest {

  private static InferenceServiceSpec isvcSpec(Plan plan) {
    return (InferenceServiceSpec) plan.event().getSpec();
  }

  @Test
  void acceptsSklearnIrisWithHdfsSelectsKaskadeSklearnButReportsTheStorageScheme() {
    // gs:// is served since issue 17; hdfs:// is accepted (KServe knows it) but not served
    Plan plan =
        ResourcePlanner.plan(
            Fixtures.yaml(Fixtures.manifestText("sklearn-iris.yaml").replace("gs://", "hdfs://")),
            Fixtures.stateWithBuiltIns());
    assertThat(isvcSpec(plan).getPredictor().getRuntime()).isEqualTo(BuiltInRuntimes.SKLEARN);
    assertThat(isvcSpec(plan).getPredictor().getModelFormat()).isEqualTo("sklearn");
    assertThat(plan.statuses())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.value().getState()).isEqualTo(ModelState.FailedToLoad);
              assertThat(s.value().getReason()).isEqualTo("ModelLoadFailed");
              assertThat(s.value().getMessage()).contains("hdfs://", "gs", "hf", "oci");
              assertThat(s.key())
                  .isEqualTo(
                      "InferenceService/default/sklearn-iris/predictor/"
                          + isvcSpec(plan).getPredictor().getRevision()
                          + "/reconciler");
            });
  }

  @Test
  void anUpstreamAnnotationServesAnySklearnPickleThroughTheRuntimeBridge() {
    String yaml =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: pickled
          annotations:
            kaskade.dev/upstream-url: http://localhost:8080
            kaskade.dev/upstream-model: sklearn-iris
        spec:
          predictor:
            model:
              modelFormat: {name: sklearn}
              protocolVersion: v2
              storageUri: gs://kfserving-examples/models/sklearn/1.0/model
        """;
    Plan plan = ResourcePlanner.plan(Fixtures.yaml(yaml), Fixtures.stateWithBuiltIns());
    var predictor = isvcSpec(plan).getPredictor();
    assertThat(InferenceServicePlan.bridged(predictor)).isTrue();
    assertThat(predictor.getParameters())
        .containsEntry(InferenceServicePlan.UPSTREAM_URL, "http://localhost:8080")
        .containsEntry("upstream-model", "sklearn-iris");
    assertThat(predictor.getProtocolVersion()).isEqualTo("v2");
    assertThat(plan.statuses()).singleElement().satisfies(s -> assertThat(s.value()).isNull());
  }

  @Test
  void acceptsTensorflowSampleButReportsNoSupportingRuntime() {
    Plan plan =
        ResourcePlanner.plan(
            Fixtures.manifest("tensorflow-flowers.yaml"), Fixtures.stateWithBuiltIns());
    assertThat(isvcSpec(plan).getPredictor().getRuntime()).isNull();
    assertThat(plan.statuses())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.value().getState()).isEqualTo(ModelState.FailedToLoad);
              assertThat(s.value().getReason()).isEqualTo("NoSupportingRuntime");
              assertThat(s.value().getMessage()).contains("kaskade.dev/upstream-url");
            });
  }

  @Test
  void selectsBuiltInOnnxRuntimeAndFillsThePredictorSpec() {
    Plan plan =
        ResourcePlanner.plan(Fixtures.manifest("onnx-style.yaml"), Fixtures.stateWithBuiltIns());
    var predictor = isvcSpec(plan).getPredictor();
    assertThat(predictor.getRuntime()).isEqualTo("kaskade-onnx");
    assertThat(predictor.getProtocolVersion()).isEqualTo("v2");
    assertThat(predictor.getStorageUri()).isEqualTo("s3://models/onnx/style");
    assertThat(predictor.getMinReplicas()).isEqualTo(1);
    assertThat(predictor.getMaxReplicas()).isEqualTo(3);
    assertThat(predictor.getResources())
        .containsEntry("requests.cpu", "1")
        .containsEntry("limits.memory", "4Gi");
    assertThat(predictor.getParameters()).containsEntry("runtimeKind", "ClusterServingRuntime");
    assertThat(isvcSpec(plan).getDeploymentMode()).isEqualTo("RawDeployment");
    assertThat(plan.statuses()).singleElement().satisfies(s -> assertThat(s.value()).isNull());
  }

  @Test
  void keepsTheFullOriginalManifestInTheEvent() {
    Plan plan =
        ResourcePlanner.plan(Fixtures.manifest("onnx-style.yaml"), Fixtures.stateWithBuiltIns());
    assertThat(plan.event().getManifestJson())
        .contains("\"tolerations\"")
        .contains("--strict-model-config=false")
        .contains("\"namespace\":\"default\"");
  }

  @Test
  void defaultsProtocolVersionToV1() {
    Plan plan =
        ResourcePlanner.plan(Fixtures.manifest("canary-v1.yaml"), Fixtures.stateWithBuiltIns());
    assertThat(isvcSpec(plan).getPredictor().getProtocolVersion()).isEqualTo("v1");
    assertThat(isvcSpec(plan).getDeploymentMode()).isEqualTo("Serverless");
  }

  @Test
  void resolvesRelativePlainPathAgainstTheManifestDirectory() {
    String yaml =
        "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n"
            + "metadata: {name: iris}\nspec:\n  predictor:\n    onnx: {storageUri: ./model.onnx}\n";
    Manifest manifest =
        ManifestCodec.parse(yaml, "isvc.yaml", Path.of("/srv/examples/iris"), "default").get(0);
    Plan plan = ResourcePlanner.plan(manifest, Fixtures.stateWithBuiltIns());
    assertThat(isvcSpec(plan).getPredictor().getStorageUri())
        .isEqualTo("file:///srv/examples/iris/model.onnx");
  }

  @Test
  void repositoryExamplesPlanOntoTheOnnxRuntimeWithFileUris() throws Exception {
    for (String example : List.of("iris", "mlp")) {
      Path file = Path.of("../examples", example, "isvc.yaml").toAbsolutePath().normalize();
      Manifest manifest =
          ManifestCodec.parse(
                  java.nio.file.Files.readString(file),
                  file.toString(),
                  file.getParent(),
                  "default")
              .get(0);
      Plan plan = ResourcePlanner.plan(manifest, Fixtures.stateWithBuiltIns());
      assertThat(isvcSpec(plan).getPredictor().getRuntime()).isEqualTo("kaskade-onnx");
      assertThat(isvcSpec(plan).getPredictor().getStorageUri())
          .isEqualTo(file.getParent().resolve("model.onnx").toUri().toString());
    }
  }

  @Test
  void reportsUnservableStorageSchemeWhenARuntimeExists() {
    String yaml =
        "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n"
            + "metadata: {name: hub}\nspec:\n  predictor:\n    onnx: {storageUri: 'webhdfs://nn/repo'}\n";
    Plan plan = ResourcePlanner.plan(Fixtures.yaml(yaml), Fixtures.stateWithBuiltIns());
    assertThat(plan.statuses().get(0).value().getReason()).isEqualTo("ModelLoadFailed");
  }

  @Test
  void canaryKeepsPreviousPredictorAndPromotionDropsIt() {
    ControlSnapshot state = Fixtures.stateWithBuiltIns();
    List<Plan> plans = Fixtures.planAll(state, "canary-v1.yaml", "canary-v2.yaml");
    InferenceServiceSpec v2 = isvcSpec(plans.get(1));
    String r1 = isvcSpec(plans.get(0)).getPredictor().getRevision();
    assertThat(v2.getCanaryTrafficPercent()).isEqualTo(20);
    assertThat(v2.getPreviousPredictor().getRevision()).isEqualTo(r1);
    assertThat(plans.get(1).event().getAnnotations())
        .containsEntry(CanaryBookkeeping.LATEST_ROLLED_OUT, r1);
    assertThat(plans.get(1).event().getGeneration()).isEqualTo(2);

    String promoted =
        Fixtures.manifestText("canary-v2.yaml").replace("canaryTrafficPercent: 20", "");
    // v2 has not reported Ready: the promotion waits, v1 keeps the traffic
    Plan waiting = ResourcePlanner.plan(Fixtures.yaml(promoted), state);
    assertThat(isvcSpec(waiting).getPreviousPredictor().getRevision()).isEqualTo(r1);
    assertThat(RolloutReadiness.awaitingReadiness(waiting.event())).isTrue();
    assertThat(RolloutHistory.read(waiting.event().getAnnotations().get(RolloutHistory.ANNOTATION)))
        .last()
        .extracting(RolloutHistory.Entry::reason)
        .isEqualTo(RolloutHistory.AWAITING_READINESS);

    String r2 = v2.getPredictor().getRevision();
    state
        .statuses()
        .put(
            "InferenceService/default/flowers/predictor/" + r2 + "/w",
            dev.kaskade.events.ComponentStatus.newBuilder()
                .setNamespace("default")
                .setName(plans.get(1).event().getName())
                .setComponent("predictor")
                .setRevision(r2)
                .setState(ModelState.Ready)
                .setInstance("w")
                .build());
    Plan plan = ResourcePlanner.plan(Fixtures.yaml(promoted), state);
    assertThat(isvcSpec(plan).getPreviousPredictor()).isNull();
    assertThat(isvcSpec(plan).getPredictor().getRevision())
        .isEqualTo(v2.getPredictor().getRevision());
    assertThat(plan.event().getAnnotations())
        .containsEntry(CanaryBookkeeping.LATEST_ROLLED_OUT, v2.getPredictor().getRevision())
        .containsEntry(CanaryBookkeeping.PREVIOUS_ROLLED_OUT, r1);
  }

  @Test
  void reapplyingTheSameManifestGivesAnIdenticalEvent() {
    ControlSnapshot state = Fixtures.stateWithBuiltIns();
    Plan first = Fixtures.planAll(state, "canary-v1.yaml").get(0);
    Plan second = ResourcePlanner.plan(Fixtures.manifest("canary-v1.yaml"), state);
    assertThat(second.event()).isEqualTo(first.event());
  }

  @Test
  void trainedModelAndGraphEventsCarryTheirSpecs() {
    ControlSnapshot state = Fixtures.stateWithBuiltIns();
    List<Plan> plans =
        Fixtures.planAll(
            state, "onnx-style.yaml", "canary-v1.yaml", "trainedmodel.yaml", "inferencegraph.yaml");
    TrainedModelSpec tm = (TrainedModelSpec) plans.get(2).event().getSpec();
    assertThat(tm.getInferenceService()).isEqualTo("style-sample");
    assertThat(tm.getMemoryBytes()).isEqualTo(256L * 1024 * 1024);
    InferenceGraphSpec graph = (InferenceGraphSpec) plans.get(3).event().getSpec();
    assertThat(graph.getNodesJson())
        .contains("\"routerType\":\"Sequence\"")
        .contains("style-sample");
  }

  @Test
  void servingRuntimeEventListsFormatsAndProtocols() {
    Plan plan =
        ResourcePlanner.plan(
            Fixtures.manifest("servingruntime.yaml"), Fixtures.stateWithBuiltIns());
    ServingRuntimeSpec spec = (ServingRuntimeSpec) plan.event().getSpec();
    assertThat(spec.getClusterScoped()).isFalse();
    assertThat(spec.getProtocolVersions()).containsExactly("v1", "v2");
    assertThat(spec.getSupportedModelFormats().get(0).getPriority()).isEqualTo(1);
  }

  @Test
  void namespacedRuntimeFromTheSameApplyIsSelected() {
    ControlSnapshot state = Fixtures.stateWithBuiltIns();
    List<Plan> plans = Fixtures.planAll(state, "servingruntime.yaml", "sklearn-iris.yaml");
    assertThat(isvcSpec(plans.get(1)).getPredictor().getRuntime())
        .isEqualTo("kserve-sklearnserver");
    // gs:// is served, so the plan reports no issue (it clears the reconciler's status record)
    assertThat(plans.get(1).statuses().get(0).value()).isNull();
  }

  @Test
  void invalidManifestThrowsNamingResourceAndField() {
    String yaml = Fixtures.manifestText("canary-v2.yaml").replace("20", "120");
    assertThatThrownBy(
            () -> ResourcePlanner.plan(Fixtures.yaml(yaml), Fixtures.stateWithBuiltIns()))
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "InferenceService default/flowers: spec.predictor.canaryTrafficPercent: must be"
                + " between 0 and 100, got 120");
  }
}
