package dev.kaskade.cli;

import dev.kaskade.schemas.runtime.ComponentFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order {@code kaskade up} starts its components in: the first by {@link
 * ComponentFactory#order} (the control plane) with those that may start beside it ({@link
 * ComponentFactory#startsBesideControlPlane}), then all others; {@code all} in {@code order()}.
 * Pure.
 */
record StartOrder(
    List<ComponentFactory> all,
    ComponentFactory first,
    List<ComponentFactory> beside,
    List<ComponentFactory> after) {

  static StartOrder of(List<ComponentFactory> factories) {
    if (factories.isEmpty()) {
      throw new IllegalArgumentException("no components to start");
    }
    List<ComponentFactory> sorted = new ArrayList<>(factories);
    sorted.sort(Comparator.comparingInt(ComponentFactory::order));
    List<ComponentFactory> rest = sorted.subList(1, sorted.size());
    return new StartOrder(
        List.copyOf(sorted),
        sorted.get(0),
        rest.stream().filter(ComponentFactory::startsBesideControlPlane).toList(),
        rest.stream().filter(f -> !f.startsBesideControlPlane()).toList());
  }
}
