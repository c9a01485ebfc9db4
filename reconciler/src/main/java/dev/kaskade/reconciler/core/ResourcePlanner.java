package dev.kaskade.reconciler.core;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.model.ClusterServingRuntime;
import dev.kaskade.reconciler.model.InferenceGraph;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ServingRuntime;
import dev.kaskade.reconciler.model.TrainedModel;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.kafka.StatusComponents;
import dev.kaskade.schemas.serde.AvroTrust;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The pure core shared by the standalone and the cluster control plane: validate, default, select
 * the runtime, derive the revision, keep canary history and build the control event.
 */
public final class ResourcePlanner {
  /** The instance name of status records the control plane writes itself. */
  public static final String INSTANCE = "reconciler";

  /** Annotation keeping the manifest's directory, so a later re-plan resolves paths the same. */
  public static final String MANIFEST_DIR = "internal.kaskade.dev/manifest-dir";

  static {
    AvroTrust.install();
  }

  private ResourcePlanner() {}

  /** Plans one manifest; throws {@link ManifestException} naming the field when invalid. */
  public static Plan plan(Manifest manifest, ControlState state) {
    Validator.requireValid(manifest, state);
    Optional<ResourceEvent> current =
        state.current(manifest.kind(), manifest.namespace(), manifest.name());
    ResourceEvent.Builder event = base(manifest);
    List<Plan.StatusRecord> statuses = List.of();
    switch (manifest.resource()) {
      case InferenceService isvc -> {
        InferenceServicePlan plan =
            InferenceServicePlan.of(
                isvc,
                manifest.baseDir(),
                state.runtimes(),
                current,
                revision -> state.predictorReady(manifest.namespace(), manifest.name(), revision),
                state.now(),
                state.scalesWorkloads(),
                new InferenceServicePlan.Storage(
                    state.storageContainers(), state.runsStorageContainers()));
        event.setSpec(plan.spec());
        event.setAnnotations(merge(event.getAnnotations(), plan.internalAnnotations()));
        statuses = List.of(statusRecord(manifest, plan));
      }
      case ServingRuntime sr -> event.setSpec(EventMapping.runtime(sr.getSpec(), false));
      case ClusterServingRuntime csr -> event.setSpec(EventMapping.runtime(csr.getSpec(), true));
      case TrainedModel tm -> event.setSpec(EventMapping.trainedModel(tm, manifest.baseDir()));
      case InferenceGraph ig -> event.setSpec(EventMapping.graph(ig));
      default -> event.setSpec(null);
    }
    return new Plan(manifest, withIdentity(event, manifest.resource(), current), statuses);
  }

  private static ResourceEvent.Builder base(Manifest manifest) {
    HasMetadata resource = manifest.resource();
    Map<String, Object> original = new LinkedHashMap<>(manifest.original());
    if (manifest.kind().namespaced()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata =
          new LinkedHashMap<>((Map<String, Object>) original.getOrDefault("metadata", Map.of()));
      metadata.putIfAbsent("namespace", manifest.namespace());
      original.put("metadata", metadata);
    }
    Map<String, String> annotations =
        new LinkedHashMap<>(orEmpty(resource.getMetadata().getAnnotations()));
    if (manifest.baseDir() != null) {
      annotations.put(MANIFEST_DIR, manifest.baseDir().toString());
    }
    return ResourceEvent.newBuilder()
        .setKind(manifest.kind().kind())
        .setApiVersion(manifest.kind().apiVersion())
        .setNamespace(manifest.namespace())
        .setName(manifest.name())
        .setManifestJson(ManifestCodec.toJson(original))
        .setAnnotations(annotations)
        .setLabels(orEmpty(resource.getMetadata().getLabels()));
  }

  /**
   * Keeps uid and generation stable across identical applies; generation increments when anything
   * else changes, as Kubernetes does for spec changes.
   */
  private static ResourceEvent withIdentity(
      ResourceEvent.Builder event, HasMetadata resource, Optional<ResourceEvent> current) {
    String uid = resource.getMetadata().getUid();
    if (uid == null) {
      uid = current.map(ResourceEvent::getUid).orElseGet(() -> UUID.randomUUID().toString());
    }
    event.setUid(uid);
    Long generation = resource.getMetadata().getGeneration();
    if (generation != null) {
      return event.setGeneration(generation).build();
    }
    long before = current.map(ResourceEvent::getGeneration).orElse(0L);
    ResourceEvent same = event.setGeneration(Math.max(before, 1)).build();
    if (current.isEmpty() || same.equals(current.get())) {
      return same;
    }
    return event.setGeneration(before + 1).build();
  }

  private static Plan.StatusRecord statusRecord(Manifest manifest, InferenceServicePlan plan) {
    String revision = plan.spec().getPredictor().getRevision();
    String key =
        ResourceKeys.status(
            manifest.kind().kind(),
            manifest.namespace(),
            manifest.name(),
            StatusComponents.PREDICTOR,
            revision,
            INSTANCE);
    if (plan.issue().isEmpty()) {
      return new Plan.StatusRecord(key, null);
    }
    InferenceServicePlan.Issue issue = plan.issue().get();
    ComponentStatus status =
        ComponentStatus.newBuilder()
            .setKind(manifest.kind().kind())
            .setNamespace(manifest.namespace())
            .setName(manifest.name())
            .setComponent(StatusComponents.PREDICTOR)
            .setRevision(revision)
            .setState(ModelState.FailedToLoad)
            .setReason(issue.reason())
            .setMessage(issue.message())
            .setInstance(INSTANCE)
            .build();
    return new Plan.StatusRecord(key, status);
  }

  /** The manifest a published event was planned from, for re-planning it. */
  public static Manifest manifestOf(ResourceEvent event) {
    String dir = event.getAnnotations().get(MANIFEST_DIR);
    return ManifestCodec.parse(
            event.getManifestJson(),
            event.getKind() + " " + event.getNamespace() + "/" + event.getName(),
            dir == null ? null : java.nio.file.Path.of(dir),
            event.getNamespace())
        .get(0);
  }

  /** True for an InferenceService event that found no runtime (re-plan when runtimes change). */
  public static boolean awaitsRuntime(ResourceEvent event) {
    return event.getSpec() instanceof dev.kaskade.events.InferenceServiceSpec spec
        && spec.getPredictor().getRuntime() == null;
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> merged = new LinkedHashMap<>(a);
    merged.putAll(b);
    return merged;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
