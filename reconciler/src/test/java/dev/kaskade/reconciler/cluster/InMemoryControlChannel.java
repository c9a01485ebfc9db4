package dev.kaskade.reconciler.cluster;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.schemas.kafka.ResourceKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The control topics as maps, for reconciler tests against the Kubernetes mock server. */
final class InMemoryControlChannel implements ControlChannel {
  final Map<String, ResourceEvent> resources = new LinkedHashMap<>();
  final Map<String, ComponentStatus> statuses = new LinkedHashMap<>();
  final List<String> tombstones = new ArrayList<>();

  @Override
  public Optional<ResourceEvent> current(String kind, String namespace, String name) {
    return Optional.ofNullable(resources.get(ResourceKeys.resource(kind, namespace, name)));
  }

  @Override
  public void publish(Plan plan) {
    ResourceEvent event = plan.event();
    resources.put(
        ResourceKeys.resource(event.getKind(), event.getNamespace(), event.getName()), event);
    for (Plan.StatusRecord status : plan.statuses()) {
      if (status.value() == null) {
        statuses.remove(status.key());
      } else {
        statuses.put(status.key(), status.value());
      }
    }
  }

  @Override
  public void delete(String kind, String namespace, String name) {
    String key = ResourceKeys.resource(kind, namespace, name);
    resources.remove(key);
    tombstones.add(key);
  }

  @Override
  public List<ComponentStatus> statuses(String kind, String namespace, String name) {
    String prefix = ResourceKeys.resource(kind, namespace, name) + "/";
    return statuses.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** A worker's report, as it would arrive on the status topic. */
  void report(ComponentStatus status) {
    statuses.put(
        ResourceKeys.status(
            status.getKind(),
            status.getNamespace(),
            status.getName(),
            status.getComponent(),
            status.getRevision(),
            status.getInstance()),
        status);
  }
}
