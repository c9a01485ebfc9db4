package dev.kaskade.reconciler.cluster;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.BuiltInRuntimes;
import dev.kaskade.reconciler.core.Deployments;
import dev.kaskade.reconciler.core.InferenceServicePlan;
import dev.kaskade.reconciler.core.Manifest;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.ManifestException;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.core.PredictorImplementations;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.core.ResourcePlanner;
import dev.kaskade.reconciler.core.RuntimeCandidate;
import dev.kaskade.reconciler.core.StorageContainers;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.model.ModelStatus;
import dev.kaskade.reconciler.model.ServingRuntimeSpec;
import dev.kaskade.reconciler.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles one InferenceService: plan (validate, default, select runtime, derive revision, keep
 * canary history), publish the control event, apply the workloads of the live revisions, delete
 * those of revisions no longer served, and write {@code .status}.
 */
public final class InferenceServiceReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceServiceReconciler.class);

  private final KubernetesClient client;
  private final ControlChannel channel;
  private final ClusterConfig config;
  private final String domain;
  private final Workloads workloads;
  private final EventRecorder events;
  private final LocalModelCacheReconciler caches;

  public InferenceServiceReconciler(
      KubernetesClient client, ControlChannel channel, ClusterConfig config, String domain) {
    this.client = client;
    this.channel = channel;
    this.config = config;
    this.domain = domain;
    this.workloads = new Workloads(client);
    this.events = new EventRecorder(client);
    this.caches =
        new LocalModelCacheReconciler(
            client,
            LocalModelCacheReconciler.DEFAULT_JOB_NAMESPACE,
            RuntimeBridgePod.INITIALIZER_IMAGE);
  }

  /** Runs every step; an invalid spec ends with a status condition, not an exception. */
  public void reconcile(InferenceService isvc) {
    String ns = isvc.getMetadata().getNamespace();
    String name = isvc.getMetadata().getName();
    MDC.put("resource", "InferenceService/" + ns + "/" + name);
    try {
      ClusterState state = new ClusterState(client, channel, ns);
      Plan plan;
      List<HasMetadata> desired;
      try {
        plan = plan(isvc, state);
        // Before publishing: a refused model server must not become routable.
        desired = servable(isvc, plan) ? desiredWorkloads(isvc, plan, state) : null;
      } catch (ManifestException e) {
        LOG.warn("invalid spec: {}", e.getMessage());
        writeInvalidStatus(isvc, e);
        return;
      }
      channel.publish(plan);
      if (desired != null) {
        workloads.apply(desired);
        workloads.deleteStale(ns, name, desired);
      }
      writeStatus(ns, name);
    } finally {
      MDC.remove("resource");
    }
  }

  /**
   * Without a runtime, an upstream or custom containers there is nothing to run: the workloads of
   * earlier revisions are left untouched (as KServe does when a reconcile fails) and the status
   * says why.
   */
  private static boolean servable(InferenceService isvc, Plan plan) {
    PredictorSpec latest = ((InferenceServiceSpec) plan.event().getSpec()).getPredictor();
    return latest.getRuntime() != null
        || InferenceServicePlan.bridged(latest)
        || PredictorImplementations.isCustomContainer(isvc.getSpec().getPredictor());
  }

  /** The InferenceService is gone: tombstone it; its workloads go with it by owner reference. */
  public void delete(String namespace, String name) {
    channel.delete(InferenceService.KIND, namespace, name);
  }

  static Plan plan(InferenceService isvc, ClusterState state) {
    Map<String, Object> original = ManifestCodec.toMap(isvc);
    original.remove("status");
    ManifestCleanup.removeServerFields(original);
    InferenceService copy = ManifestCodec.copy(isvc);
    copy.setStatus(null);
    return ResourcePlanner.plan(
        new Manifest(ResourceKind.INFERENCE_SERVICE, copy, original, null), state);
  }

  /** Step 3: the workloads of the latest revision and, during a canary, the kept previous one. */
  List<HasMetadata> desiredWorkloads(InferenceService isvc, Plan plan, ClusterState state) {
    InferenceServiceSpec spec = (InferenceServiceSpec) plan.event().getSpec();
    if (Deployments.MODEL_MESH.equals(spec.getDeploymentMode())) {
      return List.of(modelMesh(isvc, spec));
    }
    List<HasMetadata> desired = new ArrayList<>();
    List<PredictorSpec> revisions = new ArrayList<>(List.of(spec.getPredictor()));
    if (spec.getPreviousPredictor() != null) {
      revisions.add(spec.getPreviousPredictor());
    }
    for (PredictorSpec predictor : revisions) {
      var input =
          new DesiredState.RevisionInput(
              isvc, spec, predictor, runtimeSpec(predictor, state), config);
      List<String> refused = RuntimeBridgePod.privilegeViolations(input);
      if (!refused.isEmpty()) {
        throw new RuntimePrivilegeException(
            "InferenceService/" + isvc.getMetadata().getName(), refused);
      }
      var deployment = DesiredState.generateDeployment(input);
      var cached = caches.claimFor(predictor.getStorageUri(), isvc.getMetadata().getNamespace());
      if (cached.isPresent() && !InferenceServicePlan.bridged(predictor)) {
        // the model is on the node group's local volume: mount it instead of downloading
        LocalModels.mountCache(
            deployment, cached.get().cache(), cached.get().group(), predictor.getStorageUri());
      } else if (!InferenceServicePlan.bridged(predictor)) {
        // a ClusterStorageContainer that fetches the URI replaces the built-in download
        StorageContainers.initContainerFor(predictor.getStorageUri(), state.storageContainers())
            .ifPresent(
                csc -> StorageContainerPod.inject(deployment, csc, predictor.getStorageUri()));
      }
      desired.add(deployment);
      desired.add(DesiredState.generateService(input));
      if (DesiredState.usesKeda(input)) {
        desired.add(DesiredState.generateScaledObject(input));
      } else {
        var component = isvc.getSpec().getPredictor();
        String metric = "memory".equals(component.getScaleMetric()) ? "memory" : "cpu";
        int target = component.getScaleTarget() == null ? 80 : component.getScaleTarget();
        desired.add(DesiredState.generateHpa(input, metric, target));
      }
    }
    return desired;
  }

  private Deployment modelMesh(InferenceService isvc, InferenceServiceSpec spec) {
    String runtime =
        spec.getPredictor().getRuntime() == null
            ? BuiltInRuntimes.ONNX
            : spec.getPredictor().getRuntime();
    String ns = isvc.getMetadata().getNamespace();
    Map<String, OwnerReference> owners = new LinkedHashMap<>();
    Deployment existing =
        client.apps().deployments().inNamespace(ns).withName("modelmesh-" + runtime).get();
    if (existing != null) {
      existing.getMetadata().getOwnerReferences().forEach(o -> owners.put(o.getUid(), o));
    }
    OwnerReference self = DesiredState.ownerReference(isvc);
    owners.put(self.getUid(), self);
    return DesiredState.generateModelMeshDeployment(
        ns,
        runtime,
        List.copyOf(owners.values()),
        config,
        Math.max(1, spec.getPredictor().getMinReplicas()));
  }

  private static ServingRuntimeSpec runtimeSpec(PredictorSpec predictor, ClusterState state) {
    if (predictor.getRuntime() == null) {
      return null;
    }
    return state.runtime(predictor.getRuntime()).map(RuntimeCandidate::spec).orElse(null);
  }

  /** Step 6: {@code .status} from the ComponentStatus events, on the status subresource. */
  public void writeStatus(String namespace, String name) {
    Optional<ResourceEvent> event = channel.current(InferenceService.KIND, namespace, name);
    InferenceService fresh =
        client.resources(InferenceService.class).inNamespace(namespace).withName(name).get();
    if (event.isEmpty() || fresh == null) {
      return;
    }
    InferenceServiceStatus status =
        StatusAggregator.inferenceService(
            event.get(), channel.statuses(InferenceService.KIND, namespace, name), domain);
    if (fresh.getStatus() != null
        && ManifestCodec.toMap(fresh.getStatus()).equals(ManifestCodec.toMap(status))) {
      return; // unchanged: no write, so no watch event and no reconcile loop
    }
    InferenceServiceStatus before = fresh.getStatus();
    fresh.setStatus(status);
    client.resources(InferenceService.class).inNamespace(namespace).resource(fresh).updateStatus();
    events.record(fresh, StatusEvents.diff(before, status));
  }

  private void writeInvalidStatus(InferenceService isvc, ManifestException e) {
    InferenceService fresh =
        client
            .resources(InferenceService.class)
            .inNamespace(isvc.getMetadata().getNamespace())
            .withName(isvc.getMetadata().getName())
            .get();
    if (fresh == null) {
      return;
    }
    InferenceServiceStatus status = new InferenceServiceStatus();
    Condition ready = new Condition();
    ready.setType("Ready");
    ready.setStatus("False");
    String reason =
        e instanceof RuntimePrivilegeException ? RuntimePrivilegeException.REASON : "InvalidSpec";
    ready.setReason(reason);
    ready.setMessage(String.join("; ", e.errors()));
    status.setConditions(List.of(ready));
    ModelStatus model = new ModelStatus();
    model.setTransitionStatus("InvalidSpec");
    status.setModelStatus(model);
    fresh.setStatus(status);
    client.resources(InferenceService.class).resource(fresh).updateStatus();
    events.record(fresh, new StatusEvents.Event(StatusEvents.WARNING, reason, ready.getMessage()));
  }
}
