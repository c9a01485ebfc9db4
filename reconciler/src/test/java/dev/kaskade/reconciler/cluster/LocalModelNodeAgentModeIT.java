package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.LocalModelCache;
import dev.kaskade.reconciler.model.LocalModelInfo;
import dev.kaskade.reconciler.model.LocalModelNode;
import dev.kaskade.reconciler.nodeagent.LocalModelNodeAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node agent mode on fabric8's mock API server with real files: the reconciler writes one
 * LocalModelNode per node of the cache's group (no download Jobs), the node's agent downloads the
 * model onto its volume and reports it, the cache's status follows, and a deleted cache leaves the
 * nodes.
 */
@EnableKubernetesMockClient(crud = true)
class LocalModelNodeAgentModeIT {
  static KubernetesClient client;

  @TempDir Path sources;
  @TempDir Path gpu1Volume;

  private static HasMetadata load(String yaml) {
    return ManifestCodec.parse(yaml, "t.yaml", null, "default").get(0).resource();
  }

  private static void copy(String uri, Path target) throws Exception {
    Path source = Path.of(URI.create(uri));
    Files.copy(source, target.resolve(source.getFileName()));
  }

  @Test
  void reconcilerListsModelsPerNodeAndTheAgentsReportsBecomeTheCachesStatus() throws Exception {
    for (File crd : new File("../helm/kaskade/crds").listFiles()) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    for (String[] node : new String[][] {{"gpu-1", "a100"}, {"gpu-2", "a100"}, {"cpu-1", null}}) {
      var builder = new NodeBuilder().withNewMetadata().withName(node[0]).endMetadata();
      if (node[1] != null) {
        builder.editMetadata().addToLabels("gpu", node[1]).endMetadata();
      }
      client.nodes().resource(builder.build()).create();
    }
    client
        .resource(
            load(
                """
                apiVersion: serving.kserve.io/v1alpha1
                kind: LocalModelNodeGroup
                metadata: {name: workers}
                spec:
                  storageLimit: 10Gi
                  persistentVolumeClaimSpec:
                    accessModes: [ReadWriteOnce]
                    resources: {requests: {storage: 10Gi}}
                  persistentVolumeSpec:
                    accessModes: [ReadWriteOnce]
                    capacity: {storage: 10Gi}
                    local: {path: /models}
                    nodeAffinity:
                      required:
                        nodeSelectorTerms:
                        - matchExpressions: [{key: gpu, operator: In, values: [a100]}]
                """))
        .create();
    Path model = Files.writeString(sources.resolve("llama.onnx"), "weights");
    LocalModelCache cache =
        (LocalModelCache)
            client
                .resource(
                    load(
                        """
                        apiVersion: serving.kserve.io/v1alpha1
                        kind: LocalModelCache
                        metadata: {name: llama}
                        spec:
                          sourceModelUri: '%s'
                          modelSize: 1Gi
                          nodeGroups: [workers]
                        """
                            .formatted(model.toUri())))
                .create();
    var caches = new LocalModelCacheReconciler(client, "jobs", "initializer:test", true);

    caches.reconcile(cache);

    assertThat(client.batch().v1().jobs().inAnyNamespace().list().getItems()).isEmpty();
    assertThat(client.resources(LocalModelNode.class).list().getItems())
        .extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrder("gpu-1", "gpu-2");
    LocalModelInfo listed =
        client
            .resources(LocalModelNode.class)
            .withName("gpu-1")
            .get()
            .getSpec()
            .getLocalModels()
            .get(0);
    assertThat(listed.getModelName()).isEqualTo("llama");
    assertThat(listed.getSourceModelUri()).isEqualTo(model.toUri().toString());

    try (var agent =
        new LocalModelNodeAgent(client, "gpu-1", gpu1Volume, LocalModelNodeAgentModeIT::copy)
            .start()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                var status = client.resources(LocalModelNode.class).withName("gpu-1").get();
                assertThat(status.getStatus().getModelStatus())
                    .containsEntry("llama", LocalModelNodeAgent.DOWNLOADED);
              });
      // the sub-path an InferenceService mounts
      assertThat(gpu1Volume.resolve(LocalModels.subPath("llama")).resolve("llama.onnx"))
          .hasContent("weights");
    }
    caches.reconcile(client.resources(LocalModelCache.class).withName("llama").get());
    var status = client.resources(LocalModelCache.class).withName("llama").get().getStatus();
    assertThat(status.getNodeStatus())
        .containsEntry("gpu-1", "NodeDownloaded")
        .containsEntry("gpu-2", "NodePending")
        .doesNotContainKey("cpu-1");
    assertThat(status.getCopies().getAvailable()).isEqualTo(1);

    client.resources(LocalModelCache.class).withName("llama").delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.resources(LocalModelCache.class).withName("llama").get() == null);
    caches.syncNodes();
    assertThat(client.resources(LocalModelNode.class).list().getItems()).isEmpty();
  }
}
