package dev.kaskade.cli;

import dev.kaskade.schemas.runtime.ComponentFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which {@code kaskade up} starts its components, in phases whose members start in
 * parallel: first the control plane (the lowest {@link ComponentFactory#order()}) together with
 * every component that does not need what it publishes, then the rest. Starting the Streams
 * applications alongside the control plane overlaps their group joins with its registrations
 * (docs/performance.md, "Start-up").
 */
final class StartPhases {
  private StartPhases() {}

  static List<List<ComponentFactory>> of(List<ComponentFactory> factories) {
    List<ComponentFactory> sorted = new ArrayList<>(factories);
    sorted.sort(Comparator.comparingInt(ComponentFactory::order));
    if (sorted.isEmpty()) {
      return List.of();
    }
    List<ComponentFactory> first = new ArrayList<>(List.of(sorted.getFirst()));
    List<ComponentFactory> second = new ArrayList<>();
    for (ComponentFactory factory : sorted.subList(1, sorted.size())) {
      (factory.startsAfterControlPlane() ? second : first).add(factory);
    }
    return second.isEmpty() ? List.of(first) : List.of(first, second);
  }
}
