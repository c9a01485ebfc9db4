package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.ClusterStorageContainer;
import dev.kaskade.reconciler.model.InferenceService;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.File;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ClusterStorageContainer on fabric8's mock API server (CRUD mode, generated CRDs): stored and read
 * back, and an InferenceService whose storageUri it matches gets its container as the storage
 * initializer, for Kaskade's worker and for a runtime's own model server; other URIs keep the
 * built-in download.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterStorageContainerIT {
  static KubernetesClient client;

  static final ClusterConfig CONFIG =
      new ClusterConfig(
          "kaskade/worker:test", "kafka:9092", "http://registry:8081", "kaskade", 10, 10);

  private static HasMetadata load(String yaml) {
    return ManifestCodec.parse(yaml, "t.yaml", null, "serving").get(0).resource();
  }

  @BeforeAll
  static void crdsAndContainer() {
    for (File crd : new File("../helm/kaskade/crds").listFiles()) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    client
        .resource(
            load(
                """
                apiVersion: serving.kserve.io/v1alpha1
                kind: ClusterStorageContainer
                metadata: {name: custom}
                disabled: false
                spec:
                  container:
                    name: storage-initializer
                    image: example.com/custom-initializer:1
                    env: [{name: CUSTOM_TOKEN, value: t}]
                    resources: {limits: {memory: 1Gi}}
                  supportedUriFormats:
                    - prefix: custom://
                    - regex: "https://(.+?)[.]models[.]example[.]com/(.+)"
                """))
        .create();
  }

  private PodSpec reconcile(String name, String predictor) {
    InferenceService isvc =
        (InferenceService)
            load(
                """
                apiVersion: serving.kserve.io/v1beta1
                kind: InferenceService
                metadata: {name: %s}
                spec:
                  predictor:
                %s
                """
                    .formatted(name, predictor.indent(4)));
    isvc = client.resource(isvc).create();
    new InferenceServiceReconciler(client, new InMemoryControlChannel(), CONFIG, "example.com")
        .reconcile(isvc);
    return client.apps().deployments().inNamespace("serving").list().getItems().stream()
        .filter(d -> d.getMetadata().getName().startsWith(name + "-"))
        .findFirst()
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  @Test
  void isStoredWithItsDisabledFieldAndReadBack() {
    ClusterStorageContainer csc =
        client.resources(ClusterStorageContainer.class).withName("custom").get();
    assertThat(csc.getDisabled()).isFalse();
    assertThat(csc.getSpec().getContainer().getImage())
        .isEqualTo("example.com/custom-initializer:1");
    assertThat(csc.getSpec().getSupportedUriFormats()).hasSize(2);
    assertThat(csc.getSpec().effectiveWorkloadType()).isEqualTo("initContainer");
  }

  @Test
  void kaskadesWorkerGetsTheContainerAsInitializerAndReadsTheModelFromTheVolume() {
    PodSpec pod = reconcile("custom-worker", "onnx: {storageUri: 'custom://bucket/iris'}");
    Container init = pod.getInitContainers().get(0);
    assertThat(init.getName()).isEqualTo("storage-initializer");
    assertThat(init.getImage()).isEqualTo("example.com/custom-initializer:1");
    assertThat(init.getArgs()).containsExactly("custom://bucket/iris", "/mnt/models");
    assertThat(init.getEnv()).extracting(e -> e.getName()).contains("CUSTOM_TOKEN");
    assertThat(init.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/mnt/models"));
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("kserve-provision-location");
              assertThat(v.getEmptyDir()).isNotNull();
            });
    Container worker = pod.getContainers().get(0);
    assertThat(worker.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/mnt/models");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(worker.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("KASKADE_WORKER_LOCAL_MODELS");
              assertThat(e.getValue()).isEqualTo("custom://bucket/iris=/mnt/models");
            });
  }

  @Test
  void aRuntimesDefaultInitializerIsReplacedByTheMatchingContainer() {
    client
        .resource(
            load(
                """
                apiVersion: serving.kserve.io/v1alpha1
                kind: ServingRuntime
                metadata: {name: custom-server, namespace: serving}
                spec:
                  supportedModelFormats: [{name: custom, autoSelect: true}]
                  containers:
                    - name: kserve-container
                      image: example.com/custom-model:1
                      args: [--model_dir=/mnt/models]
                """))
        .create();
    PodSpec pod =
        reconcile(
            "custom-runtime",
            "model: {modelFormat: {name: custom}, storageUri: 'https://eu.models.example.com/m'}");
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo("example.com/custom-model:1");
    assertThat(pod.getInitContainers())
        .singleElement()
        .satisfies(
            init -> {
              assertThat(init.getImage()).isEqualTo("example.com/custom-initializer:1");
              assertThat(init.getArgs())
                  .containsExactly("https://eu.models.example.com/m", "/mnt/models");
            });
    assertThat(pod.getContainers().get(0).getEnv())
        .noneMatch(e -> e.getName().equals("KASKADE_WORKER_LOCAL_MODELS"));
  }

  @Test
  void aDownloadJobContainerDownloadsALocalModelCache() {
    client
        .nodes()
        .resource(
            new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName("node-1")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            load(
                """
                apiVersion: serving.kserve.io/v1alpha1
                kind: ClusterStorageContainer
                metadata: {name: cache-downloader}
                spec:
                  workloadType: localModelDownloadJob
                  container: {name: downloader, image: example.com/cache-downloader:1}
                  supportedUriFormats: [{prefix: "custom://"}]
                """))
        .create();
    client
        .resource(
            load(
                """
                apiVersion: serving.kserve.io/v1alpha1
                kind: LocalModelNodeGroup
                metadata: {name: all}
                spec:
                  storageLimit: 1Gi
                  persistentVolumeClaimSpec: {accessModes: [ReadWriteOnce]}
                  persistentVolumeSpec:
                    accessModes: [ReadWriteOnce]
                    capacity: {storage: 1Gi}
                    local: {path: /models}
                """))
        .create();
    var cache =
        (dev.kaskade.reconciler.model.LocalModelCache)
            client
                .resource(
                    load(
                        """
                        apiVersion: serving.kserve.io/v1alpha1
                        kind: LocalModelCache
                        metadata: {name: big}
                        spec: {sourceModelUri: 'custom://bucket/big', modelSize: 1Gi, nodeGroups: [all]}
                        """))
                .create();

    new LocalModelCacheReconciler(client, "jobs", "initializer:test").reconcile(cache);

    Container downloader =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace("jobs")
            .withName("big-node-1")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(downloader.getImage()).isEqualTo("example.com/cache-downloader:1");
    assertThat(downloader.getArgs())
        .containsExactly("custom://bucket/big", "/mnt/models/models/big");
    assertThat(downloader.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/mnt/models"));
  }

  @Test
  void aUriNoContainerMatchesKeepsTheBuiltInDownload() {
    PodSpec pod = reconcile("builtin", "onnx: {storageUri: 's3://bucket/iris'}");
    assertThat(pod.getInitContainers()).isNullOrEmpty();
    assertThat(pod.getContainers().get(0).getEnv())
        .noneMatch(e -> e.getName().equals("KASKADE_WORKER_LOCAL_MODELS"));
  }
}
