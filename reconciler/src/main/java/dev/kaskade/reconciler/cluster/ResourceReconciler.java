package dev.kaskade.reconciler.cluster;

import dev.kaskade.reconciler.core.Manifest;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.ManifestException;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.core.ResourcePlanner;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles ServingRuntime, ClusterServingRuntime, TrainedModel, InferenceGraph and
 * LocalModelCache: validate and publish; the data plane (workers, graph router) acts on the event.
 */
public final class ResourceReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceReconciler.class);

  private final KubernetesClient client;
  private final ControlChannel channel;

  public ResourceReconciler(KubernetesClient client, ControlChannel channel) {
    this.client = client;
    this.channel = channel;
  }

  /** Publishes the resource's control event; returns false when the spec is invalid. */
  public boolean reconcile(HasMetadata resource) {
    ResourceKind kind = ResourceKind.fromKind(resource.getKind()).orElseThrow();
    String ns = kind.keyNamespace(resource.getMetadata().getNamespace());
    MDC.put("resource", kind.kind() + "/" + ns + "/" + resource.getMetadata().getName());
    try {
      Map<String, Object> original = ManifestCodec.toMap(resource);
      original.remove("status");
      ManifestCleanup.removeServerFields(original);
      Plan plan =
          ResourcePlanner.plan(
              new Manifest(kind, ManifestCodec.copy(resource), original, null),
              new ClusterState(client, channel, ns));
      channel.publish(plan);
      return true;
    } catch (ManifestException e) {
      LOG.warn("invalid spec: {}", e.getMessage());
      return false;
    } finally {
      MDC.remove("resource");
    }
  }

  public void delete(HasMetadata resource) {
    ResourceKind kind = ResourceKind.fromKind(resource.getKind()).orElseThrow();
    channel.delete(
        kind.kind(),
        kind.keyNamespace(resource.getMetadata().getNamespace()),
        resource.getMetadata().getName());
  }
}
