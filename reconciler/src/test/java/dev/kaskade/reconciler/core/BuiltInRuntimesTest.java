package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.model.InferenceService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltInRuntimesTest {
  static final List<RuntimeCandidate> BUILT_INS =
      BuiltInRuntimes.all().stream()
          .map(r -> new RuntimeCandidate(r.getMetadata().getName(), null, true, r.getSpec(), null))
          .toList();

  @ParameterizedTest(name = "modelFormat {0} version {1} selects {2}")
  @CsvSource({
    "onnx, , kaskade-onnx",
    "sklearn, 1, kaskade-sklearn",
    "sklearn, , kaskade-sklearn",
    "xgboost, 1, kaskade-xgboost",
    "xgboost, 2.1, kaskade-xgboost",
    "lightgbm, 3, kaskade-lightgbm",
    "lightgbm, 4.6.0, kaskade-lightgbm",
    "pmml, 4, kaskade-pmml",
    "PMML, 3, kaskade-pmml",
    "triton, 2, kaskade-triton",
    "triton, , kaskade-triton",
    "huggingface, 1, kaskade-huggingface",
    "huggingface, , kaskade-huggingface",
  })
  void kserveModelFormatsSelectTheNativeRuntime(String format, String version, String runtime) {
    String versionEntry = version == null ? "" : ", version: \"" + version + "\"";
    String manifest =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: m, namespace: ns}
        spec:
          predictor:
            model:
              modelFormat: {name: %s%s}
              storageUri: s3://bucket/model
        """
            .formatted(format, versionEntry);

    assertThat(selected(manifest)).isEqualTo(runtime);
  }

  @ParameterizedTest(name = "old-style spec.predictor.{0} selects {1}")
  @CsvSource({
    "sklearn, kaskade-sklearn",
    "xgboost, kaskade-xgboost",
    "lightgbm, kaskade-lightgbm",
    "pmml, kaskade-pmml",
    "onnx, kaskade-onnx",
    "triton, kaskade-triton",
    "huggingface, kaskade-huggingface",
  })
  void kserveFrameworkShortcutsSelectTheNativeRuntime(String framework, String runtime) {
    String manifest =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: m, namespace: ns}
        spec:
          predictor:
            %s:
              storageUri: s3://bucket/model
        """
            .formatted(framework);

    assertThat(selected(manifest)).isEqualTo(runtime);
  }

  @ParameterizedTest(name = "examples/{0}/isvc.yaml selects {1}")
  @CsvSource({
    "xgboost, kaskade-xgboost",
    "lightgbm, kaskade-lightgbm",
    "pmml, kaskade-pmml",
    "sklearn, kaskade-sklearn",
    "iris, kaskade-onnx",
    "triton, kaskade-triton",
    "huggingface, kaskade-huggingface",
  })
  void theExampleManifestsSelectTheirNativeRuntime(String example, String runtime)
      throws Exception {
    String manifest = Files.readString(Path.of("..", "examples", example, "isvc.yaml"));

    assertThat(Validator.validate(Fixtures.yaml(manifest), KnownResources.ANY)).isEmpty();
    assertThat(selected(manifest)).isEqualTo(runtime);
  }

  @ParameterizedTest(name = "explicit runtime {1} for {0}")
  @CsvSource({"xgboost, kaskade-xgboost", "pmml, kaskade-pmml", "sklearn, kaskade-sklearn"})
  void anExplicitRuntimeIsHonoured(String format, String runtime) {
    String manifest =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: m, namespace: ns}
        spec:
          predictor:
            model:
              modelFormat: {name: %s}
              runtime: %s
              storageUri: s3://bucket/model
        """
            .formatted(format, runtime);

    assertThat(selected(manifest)).isEqualTo(runtime);
  }

  @ParameterizedTest(name = "{0} is reported unservable with the way out")
  @CsvSource({"tensorflow", "pytorch", "paddle", "mlflow"})
  void aFormatWithoutANativeRuntimeNamesTheBridge(String format) {
    String manifest =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: m, namespace: ns}
        spec:
          predictor:
            model:
              modelFormat: {name: %s}
              storageUri: s3://bucket/model
        """
            .formatted(format);

    RuntimeSelection selection = select(manifest);

    assertThat(selection).isInstanceOf(RuntimeSelection.Unservable.class);
    RuntimeSelection.Unservable unservable = (RuntimeSelection.Unservable) selection;
    assertThat(unservable.reason()).isEqualTo("NoSupportingRuntime");
    assertThat(unservable.message())
        .contains("model type: " + format)
        .contains("sklearn, xgboost, lightgbm, pmml")
        .contains("kaskade.dev/upstream-url");
  }

  @ParameterizedTest(name = "runtime {0} (absent here) with format {1} selects {2}")
  @CsvSource({
    "kserve-tritonserver, triton, kaskade-triton",
    "kserve-tritonserver, onnx, kaskade-onnx",
    "kserve-xgbserver, xgboost, kaskade-xgboost",
  })
  void kserveOwnRuntimeNamesSelectByFormat(String runtime, String format, String selected) {
    assertThat(selected(explicitManifest(format, runtime))).isEqualTo(selected);
  }

  @ParameterizedTest(name = "{0} names the KServe server {1} to bridge to")
  @CsvSource({
    "pytorch, kserve-torchserve, kserve-torchserve",
    "tensorflow, kserve-tensorflow-serving, kserve-tritonserver",
  })
  void pytorchAndTensorflowAreUnservableNamingTheKServeServerForTheBridge(
      String format, String server, String runtime) {
    RuntimeSelection selection = select(explicitManifest(format, runtime));

    assertThat(selection)
        .isInstanceOfSatisfying(
            RuntimeSelection.Unservable.class,
            u -> {
              assertThat(u.reason()).isEqualTo("NoSupportingRuntime");
              assertThat(u.message())
                  .contains("model type: " + format)
                  .contains("serve " + format + " with KServe's " + server)
                  .contains("kaskade.dev/upstream-url");
            });
  }

  private static String explicitManifest(String format, String runtime) {
    return """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: m, namespace: ns}
        spec:
          predictor:
            model:
              modelFormat: {name: %s}
              runtime: %s
              storageUri: s3://bucket/model
        """
        .formatted(format, runtime);
  }

  private static String selected(String manifest) {
    RuntimeSelection selection = select(manifest);
    return selection instanceof RuntimeSelection.Selected s
        ? s.runtime().name()
        : selection.toString();
  }

  private static RuntimeSelection select(String manifest) {
    InferenceService isvc = (InferenceService) Fixtures.yaml(manifest).resource();
    var model =
        PredictorImplementations.effectiveModel(isvc.getSpec().getPredictor()).orElseThrow();
    return RuntimeSelector.select(model, "ns", false, BUILT_INS);
  }
}
