package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.reconciler.Fixtures;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {

  private static Manifest isvc(String spec) {
    return Fixtures.yaml(
        "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: a}\n"
            + "spec:\n"
            + spec.indent(2));
  }

  @Test
  void aTypoInAModelFieldIsReportedByItsPath() {
    Manifest manifest =
        isvc("predictor:\n  sklearn:\n    storgeUri: s3://m/i\n    storageUri: s3://m/i\n");
    assertThat(UnknownFields.of(manifest.resource()))
        .containsExactly("spec.predictor.sklearn.storgeUri");
  }

  @Test
  void kserveFieldsKaskadeDoesNotModelAreNotUnknown() {
    Manifest manifest =
        isvc(
            """
            predictor:
              nodeSelector: {gpu: "true"}
              tolerations: [{key: gpu, operator: Exists}]
              deploymentStrategy: {type: Recreate}
              model:
                modelFormat: {name: sklearn}
                storageUri: s3://m/i
                env: [{name: A, value: b}]
                args: [--workers=2]
            """);
    assertThat(UnknownFields.of(manifest.resource())).isEmpty();
  }

  @Test
  void fieldsAtTheWrongLevelAndUnknownMetadataAreReported() {
    Manifest manifest =
        Fixtures.yaml(
            """
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: a, lables: {team: x}}
            spec:
              nodeName: node-1
              predictor:
                sklearn: {storageUri: s3://m/i}
            """);
    assertThat(UnknownFields.of(manifest.resource()))
        .containsExactlyInAnyOrder("metadata.lables", "spec.nodeName");
  }

  @Test
  void aPredictorThatLostItsIndentationIsAnErrorNotAnEmptyService() {
    String yaml =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: a}
        spec:
        predictor:
          sklearn: {storageUri: s3://m/i}
        """;
    assertThatThrownBy(() -> Fixtures.yaml(yaml))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("predictor: unknown top-level field")
        .hasMessageContaining("indented under spec");
  }
}
