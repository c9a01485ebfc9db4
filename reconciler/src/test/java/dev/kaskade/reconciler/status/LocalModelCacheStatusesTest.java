package dev.kaskade.reconciler.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.model.LocalModelCacheStatus;
import dev.kaskade.schemas.kafka.StatusComponents;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalModelCacheStatusesTest {
  private static final String URI = "https://example.com/llama.tar.gz";

  private static ResourceEvent cache() {
    return ResourceEvent.newBuilder()
        .setKind("LocalModelCache")
        .setNamespace("")
        .setName("llama")
        .setManifestJson("{\"spec\":{\"sourceModelUri\":\"" + URI + "\"}}")
        .build();
  }

  private static ComponentStatus report(
      String node, String instance, ModelState state, String meta) {
    return ComponentStatus.newBuilder()
        .setKind("LocalModelCache")
        .setNamespace("")
        .setName("llama")
        .setComponent(StatusComponents.CACHE)
        .setRevision(node)
        .setInstance(instance)
        .setState(state)
        .setModelMetadataJson(meta)
        .build();
  }

  private static ResourceEvent isvc(String name, String uri) {
    return ResourceEvent.newBuilder()
        .setKind("InferenceService")
        .setName(name)
        .setSpec(
            InferenceServiceSpec.newBuilder()
                .setPredictor(
                    PredictorSpec.newBuilder().setRevision("r").setStorageUri(uri).build())
                .build())
        .build();
  }

  @Test
  void aDownloadedNodeShowsKServesStateItsSizeAndTheServicesUsingTheCache() {
    LocalModelCacheStatus status =
        LocalModelCacheStatuses.of(
            cache(),
            List.of(
                report("local", "w1", ModelState.Ready, "{\"sizeBytes\":52428800,\"path\":\"/d\"}"),
                report("local", "w2", ModelState.Loading, null)),
            List.of(isvc("a", URI), isvc("b", "s3://other/m")));
    assertThat(status.getNodeStatus())
        .containsExactly(java.util.Map.entry("local", "NodeDownloaded"));
    assertThat(status.getNodes().get(0).getSize()).isEqualTo("50.0 MiB");
    assertThat(status.getCopies().getAvailable()).isEqualTo(1);
    assertThat(status.getInferenceServices()).extracting("name").containsExactly("a");
    assertThat(status.getConditions().get(0).getStatus()).isEqualTo("True");
  }

  @Test
  void aFailedNodeMakesTheCacheNotReadyWithItsReason() {
    LocalModelCacheStatus status =
        LocalModelCacheStatuses.of(
            cache(),
            List.of(
                report("n1", "w1", ModelState.Ready, null),
                report("n2", "w2", ModelState.FailedToLoad, null)),
            List.of());
    assertThat(status.getCopies().getFailed()).isEqualTo(1);
    assertThat(status.getConditions().get(0).getReason()).isEqualTo("NodeDownloadError");
    assertThat(status.getConditions().get(0).getStatus()).isEqualTo("False");
  }

  @Test
  void withoutReportsTheCacheIsPending() {
    LocalModelCacheStatus status = LocalModelCacheStatuses.of(cache(), List.of(), List.of());
    assertThat(status.getConditions().get(0).getReason()).isEqualTo("NodePending");
    assertThat(status.getCopies().getTotal()).isZero();
  }
}
