package dev.kaskade.reconciler.cluster;

import dev.kaskade.reconciler.model.LocalModelCache;
import dev.kaskade.reconciler.model.LocalModelInfo;
import dev.kaskade.reconciler.model.LocalModelNode;
import dev.kaskade.reconciler.model.LocalModelNodeGroup;
import dev.kaskade.reconciler.model.LocalModelNodeSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpecBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: KServe's model cache on a cluster. Per node group and namespace one PersistentVolume (the
 * group's {@code persistentVolumeSpec}: a node-local volume whose node affinity names the group's
 * nodes) bound to one claim (the group's {@code persistentVolumeClaimSpec}); per cache and node a
 * download Job pinned to the node, running the storage initializer into {@code models/<cache>} on
 * that volume; and InferenceServices whose {@code storageUri} equals a cache's {@code
 * sourceModelUri} mount that sub-path instead of downloading.
 */
final class LocalModels {
  static final String MOUNT = RuntimeBridgePod.MODEL_DIR;
  static final String LABEL_CACHE = "kaskade.dev/localmodelcache";
  static final String LABEL_NODE = "kaskade.dev/node";

  /** Worker setting: {@code uri=path} pairs the storage initializer uses instead of fetching. */
  static final String LOCAL_MODELS_ENV = "KASKADE_WORKER_LOCAL_MODELS";

  private LocalModels() {}

  /** The claim (and volume) name of a node group in a namespace. */
  static String claimName(String group) {
    return "kaskade-localmodel-" + group;
  }

  static String volumeName(String group, String namespace) {
    return dns(claimName(group) + "-" + namespace, 253);
  }

  static String subPath(String cache) {
    return "models/" + cache;
  }

  static PersistentVolume volume(LocalModelNodeGroup group, String namespace) {
    String name = group.getMetadata().getName();
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(volumeName(name, namespace))
        .addToLabels("kaskade.dev/localmodelnodegroup", name)
        .endMetadata()
        .withSpec(
            new PersistentVolumeSpecBuilder(group.getSpec().getPersistentVolumeSpec())
                .withClaimRef(
                    new ObjectReferenceBuilder()
                        .withNamespace(namespace)
                        .withName(claimName(name))
                        .build())
                .build())
        .build();
  }

  static PersistentVolumeClaim claim(LocalModelNodeGroup group, String namespace) {
    String name = group.getMetadata().getName();
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(claimName(name))
        .withNamespace(namespace)
        .addToLabels("kaskade.dev/localmodelnodegroup", name)
        .endMetadata()
        .withSpec(group.getSpec().getPersistentVolumeClaimSpec())
        .editSpec()
        .withVolumeName(volumeName(name, namespace))
        .endSpec()
        .build();
  }

  /** The download Job of a cache on one node of the group. */
  static Job job(
      LocalModelCache cache, LocalModelNodeGroup group, String node, String ns, String image) {
    String cacheName = cache.getMetadata().getName();
    return new JobBuilder()
        .withNewMetadata()
        .withName(jobName(cacheName, node))
        .withNamespace(ns)
        .addToLabels(LABEL_CACHE, cacheName)
        .addToLabels(LABEL_NODE, dns(node, 63))
        .addToAnnotations(LABEL_NODE, node)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(3)
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels(LABEL_CACHE, cacheName)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withRestartPolicy("OnFailure")
        .withServiceAccountName(cache.getSpec().getServiceAccountName())
        .addNewContainer()
        .withName("storage-initializer")
        .withImage(image)
        .withArgs(cache.getSpec().getSourceModelUri(), MOUNT + "/" + subPath(cacheName))
        .addNewVolumeMount()
        .withName("models")
        .withMountPath(MOUNT)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("models")
        .withNewPersistentVolumeClaim()
        .withClaimName(claimName(group.getMetadata().getName()))
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The Job with a ClusterStorageContainer's container (workloadType {@code localModelDownloadJob})
   * as downloader, as KServe's cache controller does: its spec unchanged apart from KServe's name,
   * the Job's arguments and the volume mount.
   */
  static Job withContainer(Job job, io.fabric8.kubernetes.api.model.Container own) {
    var pod = job.getSpec().getTemplate().getSpec();
    var builtIn = pod.getContainers().get(0);
    List<VolumeMount> mounts = new java.util.ArrayList<>();
    if (own.getVolumeMounts() != null) {
      mounts.addAll(own.getVolumeMounts());
    }
    mounts.addAll(builtIn.getVolumeMounts());
    pod.setContainers(
        List.of(
            new io.fabric8.kubernetes.api.model.ContainerBuilder(own)
                .withName(builtIn.getName())
                .withArgs(builtIn.getArgs())
                .withVolumeMounts(mounts)
                .build()));
    return job;
  }

  static String jobName(String cache, String node) {
    String name = dns(cache + "-" + node, 63);
    return name;
  }

  /** KServe's node state of a download Job. */
  static String nodeState(Job job) {
    var status = job.getStatus();
    if (status == null) {
      return "NodePending";
    }
    if (status.getSucceeded() != null && status.getSucceeded() > 0) {
      return "NodeDownloaded";
    }
    if (status.getFailed() != null
        && job.getSpec().getBackoffLimit() != null
        && status.getFailed() > job.getSpec().getBackoffLimit()) {
      return "NodeDownloadError";
    }
    return status.getActive() != null && status.getActive() > 0 ? "NodeDownloading" : "NodePending";
  }

  /** KServe's node state of a model state an agent reports in LocalModelNode.status. */
  static String nodeState(String modelState) {
    if (modelState == null) {
      return "NodePending";
    }
    return switch (modelState) {
      case "ModelDownloaded" -> "NodeDownloaded";
      case "ModelDownloading" -> "NodeDownloading";
      case "ModelDownloadError" -> "NodeDownloadError";
      default -> "NodePending";
    };
  }

  /**
   * The LocalModelNode of a node: one entry per cache one of whose node groups (all given in {@code
   * groups}) holds the node, by cache name.
   */
  static LocalModelNode localModelNode(
      Node node, List<LocalModelCache> caches, Map<String, LocalModelNodeGroup> groups) {
    List<LocalModelInfo> models = new java.util.ArrayList<>();
    caches.stream()
        .filter(c -> c.getSpec() != null && c.getSpec().getNodeGroups() != null)
        .sorted(java.util.Comparator.comparing(c -> c.getMetadata().getName()))
        .filter(
            c ->
                c.getSpec().getNodeGroups().stream()
                    .map(groups::get)
                    .anyMatch(g -> g != null && g.getSpec() != null && inGroup(g, node)))
        .forEach(
            c -> {
              LocalModelInfo info = new LocalModelInfo();
              info.setModelName(c.getMetadata().getName());
              info.setSourceModelUri(c.getSpec().getSourceModelUri());
              models.add(info);
            });
    LocalModelNode lmn = new LocalModelNode();
    lmn.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(node.getMetadata().getName())
            .addToLabels("app.kubernetes.io/managed-by", "kaskade")
            .build());
    LocalModelNodeSpec spec = new LocalModelNodeSpec();
    spec.setLocalModels(models);
    lmn.setSpec(spec);
    return lmn;
  }

  /** Whether a node is one of the group's: the volume's required node affinity selects it. */
  static boolean inGroup(LocalModelNodeGroup group, Node node) {
    var affinity = group.getSpec().getPersistentVolumeSpec().getNodeAffinity();
    if (affinity == null || affinity.getRequired() == null) {
      return true;
    }
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    for (NodeSelectorTerm term : affinity.getRequired().getNodeSelectorTerms()) {
      List<NodeSelectorRequirement> requirements =
          term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
      if (requirements.stream().allMatch(r -> matches(r, labels))) {
        return true; // terms are ORed, expressions ANDed
      }
    }
    return false;
  }

  private static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }

  /**
   * An InferenceService revision served from a cache: the group's claim mounted read-only at
   * {@value #MOUNT} (sub-path {@code models/<cache>}) instead of the storage initializer's
   * emptyDir, the initializer removed, and Kaskade's worker told where the copy is.
   */
  static Deployment mountCache(Deployment deployment, String cache, String group, String uri) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    String volume = RuntimeBridgePod.MODEL_VOLUME;
    Volume pvc =
        new VolumeBuilder()
            .withName(volume)
            .withNewPersistentVolumeClaim()
            .withClaimName(claimName(group))
            .withReadOnly(true)
            .endPersistentVolumeClaim()
            .build();
    List<Volume> volumes = new java.util.ArrayList<>();
    if (pod.getVolumes() != null) {
      pod.getVolumes().stream().filter(v -> !v.getName().equals(volume)).forEach(volumes::add);
    }
    volumes.add(pvc);
    pod.setVolumes(volumes);
    if (pod.getInitContainers() != null) {
      pod.getInitContainers()
          .removeIf(c -> RuntimeBridgePod.INITIALIZER_CONTAINER.equals(c.getName()));
    }
    VolumeMount mount =
        new VolumeMountBuilder()
            .withName(volume)
            .withMountPath(MOUNT)
            .withSubPath(subPath(cache))
            .withReadOnly(true)
            .build();
    for (var container : pod.getContainers()) {
      List<VolumeMount> mounts = new java.util.ArrayList<>();
      if (container.getVolumeMounts() != null) {
        container.getVolumeMounts().stream()
            .filter(m -> !m.getName().equals(volume))
            .forEach(mounts::add);
      }
      boolean modelServer = container.getName().equals(pod.getContainers().get(0).getName());
      if (modelServer) {
        mounts.add(mount);
        List<EnvVar> env =
            new java.util.ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
        env.add(new EnvVar(LOCAL_MODELS_ENV, uri + "=" + MOUNT, null));
        container.setEnv(env);
      }
      container.setVolumeMounts(mounts);
    }
    return deployment;
  }

  /** A cache and the node group whose volume holds it. */
  record CacheRef(String cache, String group) {}

  /** The cache (and its first node group) whose source is this storage URI, if any. */
  static Optional<CacheRef> cacheFor(String storageUri, List<LocalModelCache> caches) {
    if (storageUri == null) {
      return Optional.empty();
    }
    return caches.stream()
        .filter(c -> c.getSpec() != null && storageUri.equals(c.getSpec().getSourceModelUri()))
        .filter(c -> c.getSpec().getNodeGroups() != null && !c.getSpec().getNodeGroups().isEmpty())
        .findFirst()
        .map(c -> new CacheRef(c.getMetadata().getName(), c.getSpec().getNodeGroups().get(0)));
  }

  private static String dns(String name, int max) {
    String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    cleaned = cleaned.length() > max ? cleaned.substring(0, max) : cleaned;
    return cleaned.replaceAll("^-+|-+$", "");
  }
}
