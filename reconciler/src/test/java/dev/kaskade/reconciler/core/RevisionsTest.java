package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.PredictorSpec;
import org.junit.jupiter.api.Test;

class RevisionsTest {

  private static PredictorSpec predictor(String sample) {
    return ((InferenceService) Fixtures.manifest(sample).resource()).getSpec().getPredictor();
  }

  private static PredictorSpec fromYaml(String predictorYaml) {
    String yaml =
        "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: x}\n"
            + "spec:\n  predictor:\n    "
            + predictorYaml
            + "\n";
    return ((InferenceService) Fixtures.yaml(yaml).resource()).getSpec().getPredictor();
  }

  @Test
  void revisionIsNamePredictorAndEightHexOfSha256() {
    assertThat(Revisions.revision("flowers", "predictor", predictor("canary-v1.yaml")))
        .matches("flowers-predictor-[0-9a-f]{8}");
  }

  @Test
  void revisionIsTheFirstEightHexOfTheCanonicalJsonHash() {
    PredictorSpec spec = predictor("canary-v1.yaml");
    String canonical = Revisions.canonicalJson(ManifestCodec.toMap(spec));
    assertThat(canonical)
        .isEqualTo(
            "{\"model\":{\"modelFormat\":{\"name\":\"onnx\"},\"storageUri\":\"s3://models/flowers/1\"}}");
    assertThat(Revisions.revision("flowers", "predictor", spec))
        .isEqualTo("flowers-predictor-" + Revisions.sha256Hex(canonical).substring(0, 8));
  }

  @Test
  void sameSpecGivesSameRevisionRegardlessOfKeyOrder() {
    PredictorSpec a = fromYaml("model: {storageUri: s3://b, modelFormat: {name: onnx}}");
    PredictorSpec b = fromYaml("model: {modelFormat: {name: onnx}, storageUri: s3://b}");
    assertThat(Revisions.revision("x", "predictor", a))
        .isEqualTo(Revisions.revision("x", "predictor", b));
  }

  @Test
  void changingTheModelChangesTheRevision() {
    assertThat(Revisions.revision("flowers", "predictor", predictor("canary-v1.yaml")))
        .isNotEqualTo(Revisions.revision("flowers", "predictor", predictor("canary-v2.yaml")));
  }

  @Test
  void changingCanaryPercentOrReplicasKeepsTheRevision() {
    PredictorSpec spec = predictor("canary-v2.yaml");
    String before = Revisions.revision("flowers", "predictor", spec);
    spec.setCanaryTrafficPercent(0L);
    spec.setMinReplicas(4);
    spec.setMaxReplicas(9);
    assertThat(Revisions.revision("flowers", "predictor", spec)).isEqualTo(before);
  }
}
