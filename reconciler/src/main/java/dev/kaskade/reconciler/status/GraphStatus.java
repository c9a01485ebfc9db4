package dev.kaskade.reconciler.status;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.model.ResourceStatus;
import dev.kaskade.reconciler.status.StatusAggregator.RevisionState;
import dev.kaskade.schemas.kafka.StatusComponents;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Pure: the status of an InferenceGraph. Ready when the graph router reports it serves the graph
 * (component {@code graph}) and every InferenceService a step names is Ready; otherwise the Ready
 * condition names the first thing missing (the router, then the services in node order, root
 * first).
 */
public final class GraphStatus {
  /** The component the graph router reports for each graph. */
  public static final String COMPONENT = StatusComponents.GRAPH;

  private GraphStatus() {}

  /**
   * @param router the ComponentStatus records of the graph (one per router instance)
   * @param services the status of an InferenceService of the graph's namespace, by name
   */
  public static ResourceStatus of(
      ResourceEvent event,
      Collection<ComponentStatus> router,
      Function<String, Optional<InferenceServiceStatus>> services) {
    ResourceStatus status = new ResourceStatus();
    status.setObservedGeneration(event.getGeneration());
    RevisionState routerState = StatusAggregator.state(router, COMPONENT, null);
    Condition ready =
        StatusAggregator.condition(
            "Ready", routerState, "waiting for the graph router to serve the graph");
    if ("True".equals(ready.getStatus())) {
      ready = servicesReady(serviceNames(event), services);
    }
    status.setConditions(List.of(ready));
    return status;
  }

  private static Condition servicesReady(
      List<String> names, Function<String, Optional<InferenceServiceStatus>> services) {
    Condition ready = new Condition();
    ready.setType("Ready");
    for (String name : names) {
      Optional<InferenceServiceStatus> service = services.apply(name);
      if (service.isEmpty()) {
        ready.setStatus("False");
        ready.setReason("InferenceServiceNotFound");
        ready.setMessage("InferenceService " + name + " does not exist");
        return ready;
      }
      Condition serviceReady =
          service.get().getConditions().stream()
              .filter(c -> "Ready".equals(c.getType()))
              .findFirst()
              .orElseThrow();
      if (!"True".equals(serviceReady.getStatus())) {
        ready.setStatus(serviceReady.getStatus());
        ready.setReason("InferenceServiceNotReady");
        ready.setMessage(
            "InferenceService "
                + name
                + " is not ready"
                + (serviceReady.getReason() == null ? "" : ": " + serviceReady.getReason()));
        return ready;
      }
    }
    ready.setStatus("True");
    return ready;
  }

  /** The InferenceServices the steps name ({@code serviceName}), root node first, once each. */
  @SuppressWarnings("unchecked")
  static List<String> serviceNames(ResourceEvent event) {
    if (!(event.getSpec() instanceof InferenceGraphSpec spec)) {
      return List.of();
    }
    Map<String, Object> nodes =
        new LinkedHashMap<>(ManifestCodec.fromJson(spec.getNodesJson(), Map.class));
    List<Object> ordered = new ArrayList<>();
    Object root = nodes.remove("root");
    if (root != null) {
      ordered.add(root);
    }
    ordered.addAll(nodes.values());
    Set<String> names = new LinkedHashSet<>();
    for (Object node : ordered) {
      if (node instanceof Map<?, ?> n && n.get("steps") instanceof List<?> steps) {
        for (Object step : steps) {
          if (step instanceof Map<?, ?> s && s.get("serviceName") instanceof String name) {
            names.add(name);
          }
        }
      }
    }
    return List.copyOf(names);
  }
}
