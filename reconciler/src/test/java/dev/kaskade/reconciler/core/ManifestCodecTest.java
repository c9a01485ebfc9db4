package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ServingRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {

  @Test
  void readsKServeSampleIntoTypedFields() {
    Manifest manifest = Fixtures.manifest("sklearn-iris.yaml");
    InferenceService isvc = (InferenceService) manifest.resource();
    assertThat(manifest.kind()).isEqualTo(ResourceKind.INFERENCE_SERVICE);
    assertThat(isvc.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(isvc.getSpec().getPredictor().getModel().getModelFormat().getName())
        .isEqualTo("sklearn");
    assertThat(isvc.getSpec().getPredictor().getModel().getStorageUri())
        .isEqualTo("gs://kfserving-examples/models/sklearn/1.0/model");
  }

  @Test
  @SuppressWarnings("unchecked")
  void keepsFieldsKaskadeDoesNotModelWhenWritingBack() {
    InferenceService isvc = (InferenceService) Fixtures.manifest("onnx-style.yaml").resource();
    Map<String, Object> written = ManifestCodec.toMap(isvc);
    Map<String, Object> predictor =
        (Map<String, Object>) ((Map<String, Object>) written.get("spec")).get("predictor");
    assertThat(predictor.get("tolerations")).isInstanceOf(List.class);
    assertThat(((Map<String, Object>) predictor.get("model")).get("args"))
        .isEqualTo(List.of("--strict-model-config=false"));
  }

  @Test
  void readsServingRuntimeWithContainers() {
    ServingRuntime runtime = (ServingRuntime) Fixtures.manifest("servingruntime.yaml").resource();
    assertThat(runtime.getSpec().getContainers().get(0).getImage())
        .isEqualTo("kserve/sklearnserver:latest");
    assertThat(runtime.getSpec().getSupportedModelFormats().get(0).getAutoSelect()).isTrue();
    assertThat(runtime.getSpec().getAdditionalProperties()).containsKey("annotations");
  }

  @Test
  void readsEveryDocumentOfAMultiDocumentFile() {
    String text =
        Fixtures.manifestText("canary-v1.yaml")
            + "\n---\n"
            + Fixtures.manifestText("trainedmodel.yaml");
    assertThat(ManifestCodec.parse(text, "x.yaml", null, "ns1"))
        .extracting(Manifest::kind)
        .containsExactly(ResourceKind.INFERENCE_SERVICE, ResourceKind.TRAINED_MODEL);
  }

  @Test
  void rejectsUnknownKindNamingIt() {
    assertThatThrownBy(
            () ->
                Fixtures.yaml(
                    "apiVersion: serving.kserve.io/v1beta1\nkind: Predictor\nmetadata: {name: a}\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("kind: unknown kind 'Predictor'");
  }

  @Test
  void rejectsWrongApiVersionNamingTheExpectedOne() {
    assertThatThrownBy(
            () ->
                Fixtures.yaml(
                    "apiVersion: serving.kserve.io/v1alpha9\nkind: InferenceService\n"
                        + "metadata: {name: a}\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(
            "apiVersion: InferenceService must have apiVersion serving.kserve.io/v1beta1");
  }

  @Test
  void rejectsFieldOfWrongType() {
    assertThatThrownBy(
            () ->
                Fixtures.yaml(
                    "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n"
                        + "metadata: {name: a}\nspec: {predictor: {minReplicas: many}}\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("cannot read fields");
  }
}
