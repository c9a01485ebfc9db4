package dev.kaskade.reconciler.publish;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.ControlState;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.core.RolloutReadiness;
import dev.kaskade.reconciler.core.RuntimeCandidate;
import dev.kaskade.reconciler.model.ClusterServingRuntime;
import dev.kaskade.reconciler.model.ClusterStorageContainer;
import dev.kaskade.reconciler.model.ServingRuntime;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.runtime.KaskadeContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's state as the compacted topics hold it: resources by key and statuses by key.
 * Mutable so that an apply of several documents sees its own earlier documents.
 */
public final class ControlSnapshot implements ControlState {
  private final Map<String, ResourceEvent> resources;
  private final Map<String, ComponentStatus> statuses;

  public ControlSnapshot(
      Map<String, ResourceEvent> resources, Map<String, ComponentStatus> statuses) {
    this.resources = new LinkedHashMap<>(resources);
    this.statuses = new LinkedHashMap<>(statuses);
  }

  /** Reads both control topics to their end. */
  public static ControlSnapshot read(KaskadeContext ctx) {
    return new ControlSnapshot(
        TopicReader.latestByKey(ctx, ctx.topics().controlResources(), ResourceEvent.class),
        TopicReader.latestByKey(ctx, ctx.topics().controlStatus(), ComponentStatus.class));
  }

  public Map<String, ResourceEvent> resources() {
    return resources;
  }

  public Map<String, ComponentStatus> statuses() {
    return statuses;
  }

  /** Records a planned event so later documents of the same apply see it. */
  public void put(ResourceEvent event) {
    resources.put(
        ResourceKeys.resource(event.getKind(), event.getNamespace(), event.getName()), event);
  }

  /** Status records of one resource (any component, revision, instance). */
  public List<ComponentStatus> statusesOf(String kind, String namespace, String name) {
    String prefix = ResourceKeys.resource(kind, namespace, name) + "/";
    List<ComponentStatus> result = new ArrayList<>();
    statuses.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            result.add(value);
          }
        });
    return result;
  }

  @Override
  public Optional<ResourceEvent> current(ResourceKind kind, String namespace, String name) {
    return Optional.ofNullable(resources.get(ResourceKeys.resource(kind.kind(), namespace, name)));
  }

  @Override
  public boolean predictorReady(String namespace, String name, String revision) {
    return statusesOf(ResourceKind.INFERENCE_SERVICE.kind(), namespace, name).stream()
        .anyMatch(s -> RolloutReadiness.readyReport(s, revision));
  }

  @Override
  public boolean inferenceServiceExists(String namespace, String name) {
    return current(ResourceKind.INFERENCE_SERVICE, namespace, name).isPresent();
  }

  @Override
  public List<ClusterStorageContainer> storageContainers() {
    return resources.values().stream()
        .filter(e -> e.getKind().equals(ClusterStorageContainer.KIND))
        .map(e -> ManifestCodec.fromJson(e.getManifestJson(), ClusterStorageContainer.class))
        .toList();
  }

  @Override
  public List<RuntimeCandidate> runtimes() {
    List<RuntimeCandidate> runtimes = new ArrayList<>();
    for (ResourceEvent event : resources.values()) {
      if (event.getKind().equals(ServingRuntime.KIND)) {
        ServingRuntime sr = ManifestCodec.fromJson(event.getManifestJson(), ServingRuntime.class);
        runtimes.add(
            new RuntimeCandidate(
                sr.getMetadata().getName(),
                event.getNamespace(),
                false,
                sr.getSpec(),
                created(sr)));
      } else if (event.getKind().equals(ClusterServingRuntime.KIND)) {
        ClusterServingRuntime csr =
            ManifestCodec.fromJson(event.getManifestJson(), ClusterServingRuntime.class);
        runtimes.add(
            new RuntimeCandidate(
                csr.getMetadata().getName(), null, true, csr.getSpec(), created(csr)));
      }
    }
    return runtimes;
  }

  private static Instant created(HasMetadata resource) {
    String timestamp = resource.getMetadata().getCreationTimestamp();
    return timestamp == null ? null : Instant.parse(timestamp);
  }
}
