package dev.kaskade.reconciler.status;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.LocalModelCache;
import dev.kaskade.reconciler.model.LocalModelCacheStatus;
import dev.kaskade.reconciler.model.LocalModelNodeDetail;
import dev.kaskade.reconciler.model.ModelCopies;
import dev.kaskade.reconciler.model.NamespacedName;
import dev.kaskade.schemas.kafka.StatusComponents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pure: a LocalModelCache's KServe status ({@code copies}, {@code nodeStatus}, {@code
 * inferenceServices}) and Kaskade's per-node detail from the agents' {@code cache} reports.
 */
public final class LocalModelCacheStatuses {
  public static final String PENDING = "NodePending";
  public static final String DOWNLOADING = "NodeDownloading";
  public static final String DOWNLOADED = "NodeDownloaded";
  public static final String DOWNLOAD_ERROR = "NodeDownloadError";

  private LocalModelCacheStatuses() {}

  /**
   * @param event the cache's control event
   * @param statuses its status records
   * @param services every InferenceService event (those whose storageUri matches are listed)
   */
  public static LocalModelCacheStatus of(
      ResourceEvent event,
      Collection<ComponentStatus> statuses,
      Collection<ResourceEvent> services) {
    LocalModelCache cache = ManifestCodec.fromJson(event.getManifestJson(), LocalModelCache.class);
    String uri = cache.getSpec() == null ? null : cache.getSpec().getSourceModelUri();
    // one report per node: several instances on one node agree, the best state counts
    Map<String, ComponentStatus> byNode = new java.util.TreeMap<>();
    statuses.stream()
        .filter(s -> StatusComponents.CACHE.equals(s.getComponent()))
        .forEach(s -> byNode.merge(s.getRevision(), s, LocalModelCacheStatuses::better));
    List<LocalModelNodeDetail> nodes =
        byNode.values().stream().map(LocalModelCacheStatuses::detail).toList();
    LocalModelCacheStatus status = new LocalModelCacheStatus();
    status.setObservedGeneration(event.getGeneration());
    Map<String, String> nodeStatus = new LinkedHashMap<>();
    nodes.forEach(n -> nodeStatus.put(n.getNode(), n.getStatus()));
    status.setNodeStatus(nodeStatus);
    status.setNodes(nodes);
    ModelCopies copies = new ModelCopies();
    copies.setTotal(nodes.size());
    copies.setAvailable(count(nodes, DOWNLOADED));
    copies.setFailed(count(nodes, DOWNLOAD_ERROR));
    status.setCopies(copies);
    status.setInferenceServices(users(uri, services));
    status.setConditions(List.of(ready(nodes)));
    return status;
  }

  private static ComponentStatus better(ComponentStatus a, ComponentStatus b) {
    return rank(b.getState()) < rank(a.getState()) ? b : a;
  }

  private static int rank(ModelState state) {
    return switch (state) {
      case Ready -> 0;
      case FailedToLoad -> 1;
      case Loading -> 2;
      default -> 3;
    };
  }

  /** The node state KServe names for a report's model state. */
  static String nodeState(ModelState state) {
    return switch (state) {
      case Ready -> DOWNLOADED;
      case FailedToLoad -> DOWNLOAD_ERROR;
      case Loading -> DOWNLOADING;
      default -> PENDING;
    };
  }

  private static LocalModelNodeDetail detail(ComponentStatus report) {
    LocalModelNodeDetail node = new LocalModelNodeDetail();
    node.setNode(report.getRevision());
    node.setStatus(nodeState(report.getState()));
    node.setMessage(report.getMessage());
    if (report.getTimestampMs() > 0) {
      node.setLastTransitionTime(Instant.ofEpochMilli(report.getTimestampMs()).toString());
    }
    if (report.getModelMetadataJson() != null) {
      Map<?, ?> meta = ManifestCodec.fromJson(report.getModelMetadataJson(), Map.class);
      if (meta.get("sizeBytes") instanceof Number size) {
        node.setSizeBytes(size.longValue());
        node.setSize(humanSize(size.longValue()));
      }
      node.setPath(meta.get("path") == null ? null : String.valueOf(meta.get("path")));
    }
    return node;
  }

  private static int count(List<LocalModelNodeDetail> nodes, String state) {
    return (int) nodes.stream().filter(n -> state.equals(n.getStatus())).count();
  }

  private static List<NamespacedName> users(String uri, Collection<ResourceEvent> services) {
    List<NamespacedName> users = new ArrayList<>();
    for (ResourceEvent service : services) {
      if (uri != null
          && service.getSpec() instanceof InferenceServiceSpec spec
          && Objects.equals(uri, spec.getPredictor().getStorageUri())) {
        NamespacedName name = new NamespacedName();
        name.setNamespace(service.getNamespace());
        name.setName(service.getName());
        users.add(name);
      }
    }
    users.sort(
        Comparator.comparing(NamespacedName::getNamespace).thenComparing(NamespacedName::getName));
    return users;
  }

  /** Ready when every node holds the model; otherwise why not (the worst node's state). */
  private static Condition ready(List<LocalModelNodeDetail> nodes) {
    Condition ready = new Condition();
    ready.setType("Ready");
    if (nodes.isEmpty()) {
      ready.setStatus("Unknown");
      ready.setReason(PENDING);
      ready.setMessage("waiting for a node to download the model");
      return ready;
    }
    for (String worst : List.of(DOWNLOAD_ERROR, DOWNLOADING, PENDING)) {
      var node = nodes.stream().filter(n -> worst.equals(n.getStatus())).findFirst();
      if (node.isPresent()) {
        ready.setStatus(worst.equals(DOWNLOAD_ERROR) ? "False" : "Unknown");
        ready.setReason(worst);
        ready.setMessage(
            node.get().getNode() + ": " + Objects.toString(node.get().getMessage(), worst));
        return ready;
      }
    }
    ready.setStatus("True");
    ready.setReason(DOWNLOADED);
    return ready;
  }

  /** Bytes in binary units, one decimal: {@code 12.3 MiB}. */
  public static String humanSize(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
