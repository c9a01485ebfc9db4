package dev.kaskade.reconciler.standalone;

import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.LocalModelCache;
import dev.kaskade.reconciler.model.LocalModelCacheStatus;
import dev.kaskade.reconciler.model.LocalModelNodeDetail;
import java.util.List;
import java.util.stream.Collectors;

/** Table rows of {@code kaskade get localmodelcache}: state and size on each node. */
final class CacheRows {
  static final List<String> COLUMNS =
      List.of("NAME", "READY", "STATE", "SIZE", "COPIES", "USED-BY", "SOURCE");

  private CacheRows() {}

  static List<String> row(ResourceView view) {
    LocalModelCacheStatus status = (LocalModelCacheStatus) view.status();
    LocalModelCache cache =
        ManifestCodec.fromJson(view.event().getManifestJson(), LocalModelCache.class);
    Condition ready = status.getConditions().get(0);
    List<LocalModelNodeDetail> nodes = status.getNodes();
    return List.of(
        view.name(),
        ready.getStatus(),
        nodes.isEmpty() ? ready.getReason() : join(nodes, n -> n.getNode() + "=" + n.getStatus()),
        nodes.isEmpty() ? "-" : join(nodes, n -> n.getSize() == null ? "-" : n.getSize()),
        status.getCopies().getAvailable() + "/" + status.getCopies().getTotal(),
        status.getInferenceServices().isEmpty()
            ? "-"
            : status.getInferenceServices().stream()
                .map(n -> n.getNamespace() + "/" + n.getName())
                .collect(Collectors.joining(",")),
        cache.getSpec() == null ? "-" : String.valueOf(cache.getSpec().getSourceModelUri()));
  }

  private static String join(
      List<LocalModelNodeDetail> nodes,
      java.util.function.Function<LocalModelNodeDetail, String> f) {
    return nodes.stream().map(f).collect(Collectors.joining(","));
  }
}
