package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterControlPlaneTest {

  private static InferenceService isvc(long generation) {
    InferenceService isvc = (InferenceService) Fixtures.manifest("canary-v1.yaml").resource();
    isvc.getMetadata().setGeneration(generation);
    return isvc;
  }

  @Test
  void statusOnlyUpdateDoesNotTriggerAReconcile() {
    InferenceService before = isvc(3);
    InferenceService after = ManifestCodec.copy(before);
    after.setStatus(new InferenceServiceStatus());
    after.getMetadata().setResourceVersion("42");
    assertThat(ClusterControlPlane.specChanged(before, after)).isFalse();
  }

  @Test
  void newGenerationOrAnnotationTriggersAReconcile() {
    assertThat(ClusterControlPlane.specChanged(isvc(3), isvc(4))).isTrue();
    InferenceService annotated = isvc(3);
    annotated.getMetadata().setAnnotations(Map.of("serving.kserve.io/deploymentMode", "ModelMesh"));
    assertThat(ClusterControlPlane.specChanged(isvc(3), annotated)).isTrue();
  }
}
