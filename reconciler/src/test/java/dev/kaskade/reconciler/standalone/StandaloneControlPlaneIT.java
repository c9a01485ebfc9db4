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

  private static ComponentStatus ready(String revision) {
    return ComponentStatus.newBuilder()
        .setNamespace("default")
        .setName("flowers")
        .setComponent("predictor")
        .setRevision(revision)
        .setState(ModelState.Ready)
        .setInstance("worker-" + revision)
        .setTimestampMs(System.currentTimeMillis())
        .build();
  }

  private static String isvc(String uri) {
    return """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: flowers}
        spec:
          predictor:
            model: {modelFormat: {name: onnx}, storageUri: '%s'}
        """
        .formatted(uri);
  }

  @Test
  void aPromotionMovesTrafficOnlyWhenTheNewRevisionReportsReady() throws Exception {
    try (StandaloneHarness harness = new StandaloneHarness()) {
      Path dir = Files.createTempDirectory(harness.ctx.dataDir(), "rollout");
      try (StandaloneControlPlane plane = new StandaloneControlPlane(harness.ctx, List.of())) {
        plane.start();
        Path file = dir.resolve("isvc.yaml");
        Files.writeString(file, isvc("s3://models/v1"));
        String r1 = plane.client().apply(file).get(0).revision();
        harness.reportStatus(ready(r1));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    plane
                            .status("default", "flowers")
                            .orElseThrow()
                            .getComponents()
                            .get("predictor")
                            .getLatestReadyRevision()
                        != null);

        Files.writeString(file, isvc("s3://models/v2"));
        String r2 = plane.client().apply(file).get(0).revision();
        ResourceView waiting = plane.client().get("isvc", "flowers", "default").get(0);
        InferenceServiceSpec spec = (InferenceServiceSpec) waiting.event().getSpec();
        assertThat(spec.getPreviousPredictor().getRevision()).isEqualTo(r1);
        String yaml = ViewRenderer.renderOne(waiting, "yaml");
        assertThat(yaml).contains("AwaitingReadiness").contains("LatestDeploymentReady");

        harness.reportStatus(ready(r2));
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  ResourceView done = plane.client().get("isvc", "flowers", "default").get(0);
                  InferenceServiceSpec after = (InferenceServiceSpec) done.event().getSpec();
                  assertThat(after.getPreviousPredictor()).isNull();
                  var history =
                      ((dev.kaskade.reconciler.model.InferenceServiceStatus) done.status())
                          .getComponents()
                          .get("predictor")
                          .getRolloutHistory();
                  assertThat(history)
                      .extracting(m -> m.get("reason") + " " + m.get("latestRevision"))
                      .containsExactly(
                          "Promoted " + r1, "AwaitingReadiness " + r2, "Promoted " + r2);
                });
      }
    }
  }
}
