package dev.kaskade.reconciler.standalone;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.ComponentStatusSpec;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.model.LocalModelCacheStatus;
import dev.kaskade.reconciler.model.ResourceStatus;
import dev.kaskade.reconciler.model.TrafficTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Renders views as a kubectl-style table, or as manifests with {@code .status} (yaml/json). */
public final class ViewRenderer {
  static final List<String> COLUMNS =
      List.of("NAME", "READY", "URL", "REVISION/LATEST", "PREV", "TRAFFIC", "REASON", "DRIFT");

  private ViewRenderer() {}

  /**
   * Renders a listing: as a table, or in yaml/json as a kubectl {@code List} (also when it holds
   * one item or none), so that scripts read {@code .items} whatever the count.
   */
  public static String render(List<ResourceView> views, String format) {
    return render(views, format, ViewRenderer::list);
  }

  /** Renders one named resource: as a table, or in yaml/json as the resource itself. */
  public static String renderOne(ResourceView view, String format) {
    return render(List.of(view), format, items -> items.get(0));
  }

  private static String render(
      List<ResourceView> views,
      String format,
      Function<List<Map<String, Object>>, Object> document) {
    return switch (format == null ? "table" : format) {
      case "table", "wide" -> table(views);
      case "yaml" -> ManifestCodec.toYaml(document.apply(manifests(views)));
      case "json" -> ManifestCodec.toJson(document.apply(manifests(views)));
      default ->
          throw new IllegalArgumentException(
              "unknown output format '" + format + "' (table, yaml, json)");
    };
  }

  private static List<Map<String, Object>> manifests(List<ResourceView> views) {
    return views.stream().map(ViewRenderer::manifest).toList();
  }

  private static Map<String, Object> list(List<Map<String, Object>> items) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("items", items);
    return list;
  }

  /**
   * The original manifest with {@code .status} filled, secrets masked ({@link ManifestRedaction}).
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> manifest(ResourceView view) {
    Map<String, Object> manifest =
        new LinkedHashMap<>(
            (Map<String, Object>)
                ManifestRedaction.mask(
                    null, ManifestCodec.fromJson(view.event().getManifestJson(), Map.class)));
    if (view.status() != null) {
      manifest.put("status", ManifestCodec.toMap(view.status()));
    }
    return manifest;
  }

  static String table(List<ResourceView> views) {
    boolean caches =
        !views.isEmpty()
            && views.stream().allMatch(v -> v.status() instanceof LocalModelCacheStatus);
    List<List<String>> rows = new ArrayList<>();
    rows.add(caches ? CacheRows.COLUMNS : COLUMNS);
    for (ResourceView view : views) {
      rows.add(caches ? CacheRows.row(view) : row(view));
    }
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(String.format("%-" + (widths[i] + 3) + "s", row.get(i)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  static List<String> row(ResourceView view) {
    String drift = DriftWindows.column(view.drift());
    if (view.status() instanceof InferenceServiceStatus status) {
      InferenceServiceSpec spec = (InferenceServiceSpec) view.event().getSpec();
      Optional<Condition> ready = condition(status.getConditions(), "Ready");
      ComponentStatusSpec predictor = status.getComponents().get("predictor");
      return List.of(
          view.name(),
          ready.map(Condition::getStatus).orElse("Unknown"),
          orDash(status.getUrl()),
          orDash(predictor.getLatestReadyRevision()) + "/" + predictor.getLatestCreatedRevision(),
          spec.getPreviousPredictor() == null ? "-" : spec.getPreviousPredictor().getRevision(),
          traffic(predictor.getTraffic()),
          ready.map(Condition::getReason).map(ViewRenderer::orDash).orElse("-"),
          drift);
    }
    Optional<Condition> ready =
        view.status() instanceof ResourceStatus status
            ? condition(status.getConditions(), "Ready")
            : Optional.empty();
    return List.of(
        view.name(),
        ready.map(Condition::getStatus).orElse("Unknown"),
        "-",
        "-",
        "-",
        "-",
        ready.map(Condition::getReason).map(ViewRenderer::orDash).orElse("-"),
        drift);
  }

  /** {@code PREV/LATEST} percentages like KServe's PREV and LATEST columns, e.g. 80/20. */
  static String traffic(List<TrafficTarget> traffic) {
    List<TrafficTarget> ordered = new ArrayList<>(traffic);
    java.util.Collections.reverse(ordered);
    return ordered.stream()
        .map(TrafficTarget::getPercent)
        .map(String::valueOf)
        .collect(Collectors.joining("/"));
  }

  private static Optional<Condition> condition(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static String orDash(String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }
}
