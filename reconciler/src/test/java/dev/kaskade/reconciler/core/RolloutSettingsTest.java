package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.model.InferenceService;
import org.junit.jupiter.api.Test;

class RolloutSettingsTest {
  private static InferenceService isvc(String annotations, String predictorExtra) {
    return (InferenceService)
        Fixtures.yaml(
                "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n"
                    + "  name: a\n  annotations: {"
                    + annotations
                    + "}\nspec:\n  predictor:\n"
                    + predictorExtra.indent(4)
                    + "    model: {modelFormat: {name: onnx}, storageUri: 's3://b/m'}\n")
            .resource();
  }

  @Test
  void tagRoutingAndKnativeAnnotationsAreReportedInEveryMode() {
    var notes =
        RolloutSettings.notActedOn(
            isvc(
                "serving.kserve.io/enable-tag-routing: 'true',"
                    + " autoscaling.knative.dev/target: '5'",
                ""),
            true);
    assertThat(notes).hasSize(2);
    assertThat(notes.get(0)).startsWith("serving.kserve.io/enable-tag-routing");
    assertThat(notes.get(1)).startsWith("autoscaling.knative.dev/target").contains("scaleTarget");
  }

  @Test
  void scalingFieldsAreHonouredInAClusterAndReportedStandalone() {
    InferenceService isvc = isvc("", "minReplicas: 2\nmaxReplicas: 4\nscaleTarget: 10\n");
    assertThat(RolloutSettings.notActedOn(isvc, true)).isEmpty();
    assertThat(RolloutSettings.notActedOn(isvc, false))
        .singleElement()
        .asString()
        .contains("standalone runs one in-process worker");
  }

  @Test
  void anAutoscalerClassKaskadeDoesNotUseIsReported() {
    assertThat(
            RolloutSettings.notActedOn(
                isvc("serving.kserve.io/autoscalerClass: external", ""), true))
        .singleElement()
        .asString()
        .startsWith("serving.kserve.io/autoscalerClass=external");
    assertThat(RolloutSettings.notActedOn(isvc("serving.kserve.io/autoscalerClass: hpa", ""), true))
        .isEmpty();
  }
}
