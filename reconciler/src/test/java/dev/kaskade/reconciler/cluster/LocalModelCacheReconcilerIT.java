package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.LocalModelCache;
import dev.kaskade.reconciler.model.LocalModelNodeGroup;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KServe's model cache on fabric8's mock API server (CRUD mode, generated CRDs): download Jobs per
 * node of the group onto the group's node-local volume, status per node from the Jobs, and an
 * InferenceService whose storageUri matches mounting the claim instead of downloading.
 */
@EnableKubernetesMockClient(crud = true)
class LocalModelCacheReconcilerIT {
  static KubernetesClient client;

  private static final String JOBS = "kaskade-localmodel-jobs";

  private static <T> T load(String yaml, Class<T> type) {
    return type.cast(ManifestCodec.parse(yaml, "t.yaml", null, "default").get(0).resource());
  }

  @Test
  void downloadsOnEveryNodeOfTheGroupAndInferenceServicesMountTheCache() {
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
                  storageLimit: 100Gi
                  persistentVolumeClaimSpec:
                    accessModes: [ReadWriteOnce]
                    resources: {requests: {storage: 100Gi}}
                    storageClassName: local-storage
                  persistentVolumeSpec:
                    accessModes: [ReadWriteOnce]
                    capacity: {storage: 100Gi}
                    storageClassName: local-storage
                    local: {path: /models}
                    nodeAffinity:
                      required:
                        nodeSelectorTerms:
                        - matchExpressions: [{key: gpu, operator: In, values: [a100]}]
                """,
                LocalModelNodeGroup.class))
        .create();
    LocalModelCache cache =
        client
            .resource(
                load(
                    """
                    apiVersion: serving.kserve.io/v1alpha1
                    kind: LocalModelCache
                    metadata: {name: llama}
                    spec:
                      sourceModelUri: s3://models/llama
                      modelSize: 10Gi
                      nodeGroups: [workers]
                    """,
                    LocalModelCache.class))
            .create();

    LocalModelCacheReconciler caches =
        new LocalModelCacheReconciler(client, JOBS, "kserve/storage-initializer:test");
    caches.reconcile(cache);

    List<Job> jobs = client.batch().v1().jobs().inNamespace(JOBS).list().getItems();
    assertThat(jobs)
        .extracting(j -> j.getSpec().getTemplate().getSpec().getNodeName())
        .containsExactlyInAnyOrder("gpu-1", "gpu-2");
    Job job = jobs.get(0);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("s3://models/llama", "/mnt/models/models/llama");
    assertThat(client.persistentVolumes().withName("kaskade-localmodel-workers-" + JOBS).get())
        .isNotNull();
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(JOBS)
                .withName("kaskade-localmodel-workers")
                .get()
                .getSpec()
                .getVolumeName())
        .isEqualTo("kaskade-localmodel-workers-" + JOBS);

    Job done = client.batch().v1().jobs().inNamespace(JOBS).withName("llama-gpu-1").get();
    done.setStatus(new JobStatusBuilder().withSucceeded(1).build());
    client.resource(done).updateStatus();
    caches.reconcile(cache);
    var status = client.resources(LocalModelCache.class).withName("llama").get().getStatus();
    assertThat(status.getNodeStatus())
        .containsEntry("gpu-1", "NodeDownloaded")
        .containsEntry("gpu-2", "NodePending")
        .doesNotContainKey("cpu-1");
    assertThat(status.getCopies().getAvailable()).isEqualTo(1);
    assertThat(status.getCopies().getTotal()).isEqualTo(2);

    InferenceService isvc =
        (InferenceService)
            ManifestCodec.parse(
                    """
                    apiVersion: serving.kserve.io/v1beta1
                    kind: InferenceService
                    metadata: {name: llm}
                    spec:
                      predictor:
                        model: {modelFormat: {name: onnx}, storageUri: 's3://models/llama'}
                    """,
                    "t.yaml",
                    null,
                    "serving")
                .get(0)
                .resource();
    isvc = client.resource(isvc).create();
    ClusterConfig config =
        new ClusterConfig(
            "kaskade/worker:test", "kafka:9092", "http://registry:8081", "kaskade", 10, 10);
    new InferenceServiceReconciler(client, new InMemoryControlChannel(), config, "example.com")
        .reconcile(isvc);

    Deployment deployment =
        client.apps().deployments().inNamespace("serving").list().getItems().get(0);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
        .containsExactly("kaskade-localmodel-workers");
    var container = pod.getContainers().get(0);
    assertThat(container.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/mnt/models");
              assertThat(m.getSubPath()).isEqualTo("models/llama");
            });
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("KASKADE_WORKER_LOCAL_MODELS");
              assertThat(e.getValue()).isEqualTo("s3://models/llama=/mnt/models");
            });
    assertThat(pod.getInitContainers()).noneMatch(c -> c.getName().equals("storage-initializer"));
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace("serving")
                .withName("kaskade-localmodel-workers")
                .get())
        .isNotNull();
    caches.reconcile(client.resources(LocalModelCache.class).withName("llama").get());
    assertThat(
            client
                .resources(LocalModelCache.class)
                .withName("llama")
                .get()
                .getStatus()
                .getInferenceServices())
        .extracting(n -> n.getNamespace() + "/" + n.getName())
        .containsExactly("serving/llm");
  }
}
