package dev.kaskade.reconciler.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The client side of workloads: create-or-update desired objects, delete stale revisions. */
final class Workloads {
  static final ResourceDefinitionContext SCALED_OBJECT =
      new ResourceDefinitionContext.Builder()
          .withGroup("keda.sh")
          .withVersion("v1alpha1")
          .withKind("ScaledObject")
          .withPlural("scaledobjects")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;

  Workloads(KubernetesClient client) {
    this.client = client;
  }

  void apply(List<HasMetadata> desired) {
    for (HasMetadata object : desired) {
      if (object instanceof GenericKubernetesResource generic) {
        client
            .genericKubernetesResources(SCALED_OBJECT)
            .inNamespace(generic.getMetadata().getNamespace())
            .resource(generic)
            .createOr(existing -> existing.update());
      } else {
        client.resource(object).createOr(existing -> existing.update());
      }
    }
  }

  /**
   * Deletes this InferenceService's workloads that are not desired (an old revision, a mode
   * switch).
   */
  void deleteStale(String namespace, String isvc, List<HasMetadata> desired) {
    Set<String> keep =
        desired.stream()
            .map(o -> o.getKind() + "/" + o.getMetadata().getName())
            .collect(Collectors.toSet());
    Map<String, String> selector =
        Map.of(DesiredState.ISVC_LABEL, isvc, DesiredState.MANAGED_BY_LABEL, "kaskade");
    List<HasMetadata> existing =
        new java.util.ArrayList<>(
            client
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withLabels(selector)
                .list()
                .getItems());
    existing.addAll(
        client.services().inNamespace(namespace).withLabels(selector).list().getItems());
    existing.addAll(
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(namespace)
            .withLabels(selector)
            .list()
            .getItems());
    existing.addAll(
        client
            .genericKubernetesResources(SCALED_OBJECT)
            .inNamespace(namespace)
            .withLabels(selector)
            .list()
            .getItems());
    for (HasMetadata object : existing) {
      if (!keep.contains(kind(object) + "/" + object.getMetadata().getName())) {
        delete(object);
      }
    }
  }

  private static String kind(HasMetadata object) {
    return switch (object) {
      case Deployment d -> "Deployment";
      case Service s -> "Service";
      case HorizontalPodAutoscaler h -> "HorizontalPodAutoscaler";
      default -> object.getKind();
    };
  }

  private void delete(HasMetadata object) {
    if (object instanceof GenericKubernetesResource generic) {
      client
          .genericKubernetesResources(SCALED_OBJECT)
          .inNamespace(generic.getMetadata().getNamespace())
          .withName(generic.getMetadata().getName())
          .delete();
    } else {
      client.resource(object).delete();
    }
  }
}
