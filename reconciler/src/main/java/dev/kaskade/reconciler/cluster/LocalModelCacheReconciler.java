package dev.kaskade.reconciler.cluster;

import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.PredictorImplementations;
import dev.kaskade.reconciler.core.StorageContainers;
import dev.kaskade.reconciler.model.ClusterStorageContainer;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.LocalModelCache;
import dev.kaskade.reconciler.model.LocalModelCacheStatus;
import dev.kaskade.reconciler.model.LocalModelNode;
import dev.kaskade.reconciler.model.LocalModelNodeDetail;
import dev.kaskade.reconciler.model.LocalModelNodeGroup;
import dev.kaskade.reconciler.model.ModelCopies;
import dev.kaskade.reconciler.model.NamespacedName;
import dev.kaskade.reconciler.model.StorageContainerSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster side of KServe's model cache: for each LocalModelCache, the node groups' volume and claim
 * in the job namespace, one download Job per node of each group, and {@code .status} (KServe's
 * {@code nodeStatus}, {@code copies}, {@code inferenceServices}) from the Jobs. InferenceServices
 * whose storageUri matches get the claim in their namespace ({@link #claimFor}).
 */
final class LocalModelCacheReconciler {
  /** Setting: namespace of the download Jobs (KServe's {@code jobNamespace}). */
  static final String JOB_NAMESPACE = "reconciler.localmodel.job-namespace";

  static final String DEFAULT_JOB_NAMESPACE = "kaskade-localmodel-jobs";

  /**
   * Setting: {@code true} when the node agent DaemonSet runs ({@code kaskade local-model-agent}):
   * LocalModelNode objects per node instead of download Jobs, status from their {@code
   * modelStatus}.
   */
  static final String NODE_AGENT = "reconciler.localmodel.node-agent";

  private final KubernetesClient client;
  private final String jobNamespace;
  private final String image;
  private final boolean nodeAgent;

  LocalModelCacheReconciler(KubernetesClient client, String jobNamespace, String image) {
    this(client, jobNamespace, image, false);
  }

  LocalModelCacheReconciler(
      KubernetesClient client, String jobNamespace, String image, boolean nodeAgent) {
    this.client = client;
    this.jobNamespace = jobNamespace;
    this.image = image;
    this.nodeAgent = nodeAgent;
  }

  boolean nodeAgent() {
    return nodeAgent;
  }

  void reconcile(LocalModelCache cache) {
    if (cache.getSpec() == null || cache.getSpec().getNodeGroups() == null) {
      return;
    }
    List<Node> nodes = client.nodes().list().getItems();
    Map<String, String> nodeStatus = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String groupName : cache.getSpec().getNodeGroups()) {
      LocalModelNodeGroup group =
          client.resources(LocalModelNodeGroup.class).withName(groupName).get();
      if (group == null || group.getSpec() == null) {
        missing.add(groupName);
        continue;
      }
      ensureClaim(group, jobNamespace);
      for (Node node : nodes) {
        if (LocalModels.inGroup(group, node)) {
          String name = node.getMetadata().getName();
          nodeStatus.put(
              name,
              nodeAgent
                  ? LocalModels.nodeState(modelState(name, cache.getMetadata().getName()))
                  : LocalModels.nodeState(ensure(job(cache, group, name))));
        }
      }
    }
    if (nodeAgent) {
      syncNodes();
    }
    writeStatus(cache, nodeStatus, missing);
  }

  /**
   * Node agent mode: every node's LocalModelNode lists the caches its node groups hold (created,
   * updated when the list changed, deleted when empty), so a deleted cache leaves the nodes too.
   */
  void syncNodes() {
    List<LocalModelCache> caches = client.resources(LocalModelCache.class).list().getItems();
    Map<String, LocalModelNodeGroup> groups = new LinkedHashMap<>();
    client
        .resources(LocalModelNodeGroup.class)
        .list()
        .getItems()
        .forEach(g -> groups.put(g.getMetadata().getName(), g));
    for (Node node : client.nodes().list().getItems()) {
      LocalModelNode desired = LocalModels.localModelNode(node, caches, groups);
      var resource = client.resources(LocalModelNode.class).withName(node.getMetadata().getName());
      LocalModelNode existing = resource.get();
      if (desired.getSpec().getLocalModels().isEmpty()) {
        if (existing != null && ours(existing)) {
          resource.delete();
        }
      } else if (existing == null) {
        client.resource(desired).create();
      } else if (!ManifestCodec.toMap(desired.getSpec())
          .equals(ManifestCodec.toMap(existing.getSpec()))) {
        existing.setSpec(desired.getSpec());
        client.resource(existing).update();
      }
    }
  }

  /** The download Job; a matching download-job ClusterStorageContainer supplies its container. */
  private Job job(LocalModelCache cache, LocalModelNodeGroup group, String node) {
    Job job = LocalModels.job(cache, group, node, jobNamespace, image);
    StorageContainers.matching(
            cache.getSpec().getSourceModelUri(),
            client.resources(ClusterStorageContainer.class).list().getItems(),
            StorageContainerSpec.LOCAL_MODEL_DOWNLOAD_JOB)
        .ifPresent(csc -> LocalModels.withContainer(job, csc.getSpec().getContainer()));
    return job;
  }

  /** LocalModelNodes Kaskade created (a user's own are updated, never deleted). */
  private static boolean ours(LocalModelNode lmn) {
    var labels = lmn.getMetadata().getLabels();
    return labels != null && "kaskade".equals(labels.get("app.kubernetes.io/managed-by"));
  }

  /** The state the node's agent reports for a cache, or null. */
  private String modelState(String node, String cache) {
    LocalModelNode lmn = client.resources(LocalModelNode.class).withName(node).get();
    if (lmn == null || lmn.getStatus() == null || lmn.getStatus().getModelStatus() == null) {
      return null;
    }
    return lmn.getStatus().getModelStatus().get(cache);
  }

  /** The cache an InferenceService's storageUri is served from, with its claim ensured. */
  Optional<LocalModels.CacheRef> claimFor(String storageUri, String namespace) {
    Optional<LocalModels.CacheRef> ref =
        LocalModels.cacheFor(storageUri, client.resources(LocalModelCache.class).list().getItems());
    if (ref.isEmpty()) {
      return ref;
    }
    LocalModelNodeGroup group =
        client.resources(LocalModelNodeGroup.class).withName(ref.get().group()).get();
    if (group == null || group.getSpec() == null) {
      return Optional.empty();
    }
    ensureClaim(group, namespace);
    return ref;
  }

  private void ensureClaim(LocalModelNodeGroup group, String namespace) {
    ensure(LocalModels.volume(group, namespace));
    ensure(LocalModels.claim(group, namespace));
  }

  /** Creates a resource that does not exist yet; an existing one is left (Jobs are immutable). */
  private <T extends HasMetadata> T ensure(T resource) {
    T existing = client.resource(resource).get();
    return existing != null ? existing : client.resource(resource).create();
  }

  private void writeStatus(
      LocalModelCache cache, Map<String, String> nodeStatus, List<String> missing) {
    LocalModelCache fresh =
        client.resources(LocalModelCache.class).withName(cache.getMetadata().getName()).get();
    if (fresh == null) {
      return;
    }
    LocalModelCacheStatus status = new LocalModelCacheStatus();
    status.setObservedGeneration(fresh.getMetadata().getGeneration());
    status.setNodeStatus(nodeStatus);
    List<LocalModelNodeDetail> details = new ArrayList<>();
    nodeStatus.forEach(
        (node, state) -> {
          LocalModelNodeDetail d = new LocalModelNodeDetail();
          d.setNode(node);
          d.setStatus(state);
          details.add(d);
        });
    status.setNodes(details);
    ModelCopies copies = new ModelCopies();
    copies.setTotal(nodeStatus.size());
    copies.setAvailable(count(nodeStatus, "NodeDownloaded"));
    copies.setFailed(count(nodeStatus, "NodeDownloadError"));
    status.setCopies(copies);
    status.setInferenceServices(users(cache.getSpec().getSourceModelUri()));
    status.setConditions(List.of(ready(nodeStatus, missing, copies)));
    fresh.setStatus(status);
    client.resources(LocalModelCache.class).resource(fresh).updateStatus();
  }

  private static int count(Map<String, String> nodeStatus, String state) {
    return (int) nodeStatus.values().stream().filter(state::equals).count();
  }

  private List<NamespacedName> users(String uri) {
    List<NamespacedName> users = new ArrayList<>();
    for (InferenceService isvc :
        client.resources(InferenceService.class).inAnyNamespace().list().getItems()) {
      var model =
          isvc.getSpec() == null
              ? Optional.<dev.kaskade.reconciler.model.ModelSpec>empty()
              : PredictorImplementations.effectiveModel(isvc.getSpec().getPredictor());
      if (model.isPresent() && uri.equals(model.get().getStorageUri())) {
        NamespacedName n = new NamespacedName();
        n.setNamespace(isvc.getMetadata().getNamespace());
        n.setName(isvc.getMetadata().getName());
        users.add(n);
      }
    }
    return users;
  }

  private static Condition ready(
      Map<String, String> nodeStatus, List<String> missing, ModelCopies copies) {
    Condition ready = new Condition();
    ready.setType("Ready");
    if (!missing.isEmpty()) {
      ready.setStatus("False");
      ready.setReason("NodeGroupNotFound");
      ready.setMessage("LocalModelNodeGroup not found: " + String.join(", ", missing));
    } else if (nodeStatus.isEmpty()) {
      ready.setStatus("False");
      ready.setReason("NoNodes");
      ready.setMessage("no node matches the node groups' volume node affinity");
    } else if (copies.getFailed() > 0) {
      ready.setStatus("False");
      ready.setReason("NodeDownloadError");
    } else if (copies.getAvailable().equals(copies.getTotal())) {
      ready.setStatus("True");
      ready.setReason("NodeDownloaded");
    } else {
      ready.setStatus("Unknown");
      ready.setReason("NodeDownloading");
    }
    return ready;
  }
}
