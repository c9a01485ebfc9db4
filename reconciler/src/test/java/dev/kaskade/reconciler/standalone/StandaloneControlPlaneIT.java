package dev.kaskade.reconciler.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.reconciler.core.BuiltInRuntimes;
import dev.kaskade.reconciler.model.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandaloneControlPlaneIT {

  @Test
  void startAppliesBuiltInsAndManifestsAndFollowsWorkerStatus() throws Exception {
    try (StandaloneHarness harness = new StandaloneHarness()) {
      Path dir = Files.createTempDirectory(harness.ctx.dataDir(), "iris");
      Files.writeString(
          dir.resolve("isvc.yaml"),
          """
          apiVersion: serving.kserve.io/v1beta1
          kind: InferenceService
          metadata:
            name: iris
          spec:
            predictor:
              model:
                modelFormat: {name: onnx}
                storageUri: ./model.onnx
          """);
      try (StandaloneControlPlane plane = new StandaloneControlPlane(harness.ctx, List.of(dir))) {
        plane.start();
        ResourceView view = plane.client().get("isvc", "iris", "default").get(0);
        InferenceServiceSpec spec = (InferenceServiceSpec) view.event().getSpec();
        assertThat(spec.getPredictor().getStorageUri())
            .isEqualTo(dir.resolve("model.onnx").toAbsolutePath().toUri().toString());
        assertThat(plane.client().get("clusterservingruntime", null, null))
            .hasSize(BuiltInRuntimes.all().size());

        harness.reportStatus(
            ComponentStatus.newBuilder()
                .setNamespace("default")
                .setName("iris")
                .setComponent("predictor")
                .setRevision(spec.getPredictor().getRevision())
                .setState(ModelState.Ready)
                .setInstance("worker-0")
                .build());

        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(plane.status("default", "iris").orElseThrow().getConditions())
                        .filteredOn(c -> c.getType().equals("Ready"))
                        .extracting(Condition::getStatus)
                        .containsExactly("True"));
      }
    }
  }
}
