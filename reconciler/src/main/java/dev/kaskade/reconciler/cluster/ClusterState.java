package dev.kaskade.reconciler.cluster;

import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.BuiltInRuntimes;
import dev.kaskade.reconciler.core.ControlState;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.core.RolloutReadiness;
import dev.kaskade.reconciler.core.RuntimeCandidate;
import dev.kaskade.reconciler.model.ClusterServingRuntime;
import dev.kaskade.reconciler.model.ClusterStorageContainer;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ServingRuntime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Planning state in cluster mode: runtimes and references from the API, history from Kafka. */
final class ClusterState implements ControlState {
  private final KubernetesClient client;
  private final ControlChannel channel;
  private final String namespace;

  ClusterState(KubernetesClient client, ControlChannel channel, String namespace) {
    this.client = client;
    this.channel = channel;
    this.namespace = namespace;
  }

  @Override
  public Optional<ResourceEvent> current(ResourceKind kind, String ns, String name) {
    return channel.current(kind.kind(), ns, name);
  }

  @Override
  public boolean scalesWorkloads() {
    return true;
  }

  @Override
  public boolean runsStorageContainers() {
    return true;
  }

  @Override
  public List<ClusterStorageContainer> storageContainers() {
    return client.resources(ClusterStorageContainer.class).list().getItems();
  }

  @Override
  public boolean predictorReady(String ns, String name, String revision) {
    return channel.statuses(InferenceService.KIND, ns, name).stream()
        .anyMatch(s -> RolloutReadiness.readyReport(s, revision));
  }

  @Override
  public boolean inferenceServiceExists(String ns, String name) {
    return client.resources(InferenceService.class).inNamespace(ns).withName(name).get() != null;
  }

  /** Namespaced runtimes of the namespace, cluster runtimes, and the built-ins not overridden. */
  @Override
  public List<RuntimeCandidate> runtimes() {
    List<RuntimeCandidate> runtimes = new ArrayList<>();
    for (ServingRuntime sr :
        client.resources(ServingRuntime.class).inNamespace(namespace).list().getItems()) {
      runtimes.add(new RuntimeCandidate(name(sr), namespace, false, sr.getSpec(), created(sr)));
    }
    List<ClusterServingRuntime> cluster =
        new ArrayList<>(client.resources(ClusterServingRuntime.class).list().getItems());
    Set<String> names = cluster.stream().map(ClusterState::name).collect(Collectors.toSet());
    BuiltInRuntimes.all().stream().filter(b -> !names.contains(name(b))).forEach(cluster::add);
    for (ClusterServingRuntime csr : cluster) {
      runtimes.add(new RuntimeCandidate(name(csr), null, true, csr.getSpec(), created(csr)));
    }
    return runtimes;
  }

  /** The runtime spec a revision runs on, if it is a runtime known to the cluster. */
  Optional<RuntimeCandidate> runtime(String name) {
    return runtimes().stream()
        .filter(r -> r.name().equals(name))
        .min((a, b) -> Boolean.compare(a.clusterScoped(), b.clusterScoped()));
  }

  private static String name(HasMetadata resource) {
    return resource.getMetadata().getName();
  }

  private static Instant created(HasMetadata resource) {
    String created = resource.getMetadata().getCreationTimestamp();
    return created == null ? null : Instant.parse(created);
  }
}
