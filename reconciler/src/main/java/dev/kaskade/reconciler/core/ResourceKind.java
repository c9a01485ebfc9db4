package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.ClusterServingRuntime;
import dev.kaskade.reconciler.model.ClusterStorageContainer;
import dev.kaskade.reconciler.model.InferenceGraph;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.KServe;
import dev.kaskade.reconciler.model.LocalModelCache;
import dev.kaskade.reconciler.model.LocalModelNode;
import dev.kaskade.reconciler.model.LocalModelNodeGroup;
import dev.kaskade.reconciler.model.ServingRuntime;
import dev.kaskade.reconciler.model.TrainedModel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The resources Kaskade understands, with their API version and command-line names. */
public enum ResourceKind {
  INFERENCE_SERVICE(
      "InferenceService",
      "v1beta1",
      InferenceService.class,
      true,
      List.of("isvc", "inferenceservice", "inferenceservices")),
  SERVING_RUNTIME(
      "ServingRuntime",
      "v1alpha1",
      ServingRuntime.class,
      true,
      List.of("servingruntime", "servingruntimes")),
  CLUSTER_SERVING_RUNTIME(
      "ClusterServingRuntime",
      "v1alpha1",
      ClusterServingRuntime.class,
      false,
      List.of("clusterservingruntime", "clusterservingruntimes")),
  TRAINED_MODEL(
      "TrainedModel",
      "v1alpha1",
      TrainedModel.class,
      true,
      List.of("tm", "trainedmodel", "trainedmodels")),
  INFERENCE_GRAPH(
      "InferenceGraph",
      "v1alpha1",
      InferenceGraph.class,
      true,
      List.of("ig", "inferencegraph", "inferencegraphs")),
  LOCAL_MODEL_CACHE(
      "LocalModelCache",
      "v1alpha1",
      LocalModelCache.class,
      false,
      List.of("localmodelcache", "localmodelcaches")),
  LOCAL_MODEL_NODE_GROUP(
      "LocalModelNodeGroup",
      "v1alpha1",
      LocalModelNodeGroup.class,
      false,
      List.of("localmodelnodegroup", "localmodelnodegroups")),
  LOCAL_MODEL_NODE(
      "LocalModelNode",
      "v1alpha1",
      LocalModelNode.class,
      false,
      List.of("localmodelnode", "localmodelnodes")),
  CLUSTER_STORAGE_CONTAINER(
      "ClusterStorageContainer",
      "v1alpha1",
      ClusterStorageContainer.class,
      false,
      List.of("clusterstoragecontainer", "clusterstoragecontainers"));

  /** Namespace used in control-topic keys of cluster-scoped resources. */
  public static final String CLUSTER_NAMESPACE = "";

  private final String kind;
  private final String version;
  private final Class<? extends HasMetadata> type;
  private final boolean namespaced;
  private final List<String> names;

  ResourceKind(
      String kind,
      String version,
      Class<? extends HasMetadata> type,
      boolean namespaced,
      List<String> names) {
    this.kind = kind;
    this.version = version;
    this.type = type;
    this.namespaced = namespaced;
    this.names = names;
  }

  public String kind() {
    return kind;
  }

  public String apiVersion() {
    return KServe.GROUP + "/" + version;
  }

  public Class<? extends HasMetadata> type() {
    return type;
  }

  public boolean namespaced() {
    return namespaced;
  }

  /** The key namespace: the resource's namespace, or "" for cluster-scoped kinds. */
  public String keyNamespace(String namespace) {
    return namespaced ? namespace : CLUSTER_NAMESPACE;
  }

  public static Optional<ResourceKind> fromKind(String kind) {
    return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
  }

  /** A kind from a command-line name: kind, plural or short name, any case. */
  public static ResourceKind fromName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(k -> k.names.contains(lower) || k.kind.equalsIgnoreCase(lower))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown resource type '"
                        + name
                        + "' (known: "
                        + Arrays.stream(values())
                            .map(k -> String.join("/", k.names))
                            .collect(Collectors.joining(", "))
                        + ")"));
  }
}
