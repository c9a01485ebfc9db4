package dev.kaskade.reconciler.standalone;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.BuiltInRuntimes;
import dev.kaskade.reconciler.core.Manifest;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.ManifestException;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.core.ResourcePlanner;
import dev.kaskade.reconciler.core.RolloutReadiness;
import dev.kaskade.reconciler.core.UnknownFields;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.model.ResourceStatus;
import dev.kaskade.reconciler.publish.ControlPublisher;
import dev.kaskade.reconciler.publish.ControlSnapshot;
import dev.kaskade.reconciler.publish.TopicReader;
import dev.kaskade.reconciler.status.GraphStatus;
import dev.kaskade.reconciler.status.LocalModelCacheStatuses;
import dev.kaskade.reconciler.status.StatusAggregator;
import dev.kaskade.reconciler.status.TrainedModelStatus;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.route.ResourceHost;
import dev.kaskade.schemas.runtime.KaskadeContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code kaskade apply -f / get / delete} without Kubernetes. All state lives in the compacted
 * control topics, so a new client (or a restarted process) sees what earlier ones applied.
 */
public final class ControlPlaneClient implements AutoCloseable {
  /** Setting: namespace of manifests that name none. */
  public static final String NAMESPACE_SETTING = "control.namespace";

  /** Setting: domain of {@code status.url} ({@code http://<name>.<namespace>.<domain>}). */
  public static final String DOMAIN_SETTING = ResourceHost.DOMAIN_SETTING;

  private final KaskadeContext ctx;
  private final String defaultNamespace;
  private final String domain;
  private ControlPublisher publisher;

  public ControlPlaneClient(KaskadeContext ctx) {
    this.ctx = ctx;
    this.defaultNamespace = ctx.setting(NAMESPACE_SETTING, "default");
    this.domain = ctx.setting(DOMAIN_SETTING, ResourceHost.DEFAULT_DOMAIN);
  }

  /**
   * Applies a manifest file or every {@code .yaml/.yml/.json} file of a directory (sorted). All
   * documents are parsed, validated and planned first: if any is invalid, nothing is published and
   * a {@link ManifestException} names the document, field and reason.
   */
  public synchronized List<ApplyResult> apply(Path fileOrDir) {
    return withSchemas(applyManifests(manifestsOf(fileOrDir)));
  }

  /**
   * The built-in ClusterServingRuntimes, then every manifest of these files or folders, planned
   * together from one read of the control topics (an apply each read them four times over at {@code
   * kaskade up}'s start): later manifests see the earlier ones, as in one apply. Returns once the
   * events are durable and the topics exist; the topics' schemas may still be registering ({@code
   * kaskade up} waits for them before its ready line, so that its workers start meanwhile).
   */
  public synchronized List<ApplyResult> applyBuiltInRuntimesAnd(List<Path> filesOrDirs) {
    List<Manifest> manifests = builtInRuntimeManifests();
    for (Path fileOrDir : filesOrDirs) {
      manifests.addAll(manifestsOf(fileOrDir));
    }
    return applyManifests(manifests);
  }

  private List<Manifest> manifestsOf(Path fileOrDir) {
    List<Manifest> manifests = new ArrayList<>();
    for (Path file : manifestFiles(fileOrDir)) {
      manifests.addAll(
          ManifestCodec.parse(
              read(file), file.toString(), file.toAbsolutePath().getParent(), defaultNamespace));
    }
    return manifests;
  }

  /**
   * Completes a promotion that waited for its revision to be ready: plans the InferenceService
   * again (its previous revision is dropped and the move recorded) once a worker reported the
   * revision Ready. Empty when nothing was waiting or the revision is not ready yet.
   */
  public synchronized java.util.Optional<ApplyResult> completeRollout(
      String namespace, String name) {
    ControlSnapshot snapshot = ControlSnapshot.read(ctx);
    java.util.Optional<ResourceEvent> current =
        snapshot.current(ResourceKind.INFERENCE_SERVICE, namespace, name);
    if (current.isEmpty()
        || !RolloutReadiness.awaitingReadiness(current.get())
        || !snapshot.predictorReady(
            namespace,
            name,
            ((InferenceServiceSpec) current.get().getSpec()).getPredictor().getRevision())) {
      return java.util.Optional.empty();
    }
    Plan plan = ResourcePlanner.plan(ResourcePlanner.manifestOf(current.get()), snapshot);
    boolean changed = publisher().publish(plan, snapshot);
    return java.util.Optional.of(result(plan, changed ? "configured" : "unchanged"));
  }

  /** Publishes the built-in ClusterServingRuntimes (kaskade-onnx, kaskade-tensorrt). */
  public synchronized List<ApplyResult> applyBuiltInRuntimes() {
    return withSchemas(applyManifests(builtInRuntimeManifests()));
  }

  /** The results, once every topic schema registered by the apply is in the registry. */
  private List<ApplyResult> withSchemas(List<ApplyResult> results) {
    ctx.provisioner().awaitSchemas();
    return results;
  }

  private static List<Manifest> builtInRuntimeManifests() {
    List<Manifest> manifests = new ArrayList<>();
    for (HasMetadata runtime : BuiltInRuntimes.all()) {
      manifests.add(
          new Manifest(
              ResourceKind.CLUSTER_SERVING_RUNTIME, runtime, ManifestCodec.toMap(runtime), null));
    }
    return manifests;
  }

  private List<ApplyResult> applyManifests(List<Manifest> manifests) {
    publisher().ensurePlatformTopics();
    ControlSnapshot snapshot = ControlSnapshot.read(ctx);
    ControlSnapshot planning = new ControlSnapshot(snapshot.resources(), snapshot.statuses());
    List<Plan> plans = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Manifest manifest : manifests) {
      try {
        Plan plan = ResourcePlanner.plan(manifest, planning);
        planning.put(plan.event());
        plans.add(plan);
      } catch (ManifestException e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new ManifestException("apply", errors);
    }
    plans.addAll(replanWaitingForRuntime(plans, planning));
    java.util.Set<String> known = new java.util.HashSet<>(snapshot.resources().keySet());
    List<Boolean> existed = new ArrayList<>();
    for (Plan plan : plans) {
      ResourceEvent event = plan.event();
      existed.add(!known.add(key(event.getKind(), event.getNamespace(), event.getName())));
    }
    List<Boolean> changed = publisher().publishAll(plans, snapshot);
    List<ApplyResult> results = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      String action = !changed.get(i) ? "unchanged" : existed.get(i) ? "configured" : "created";
      results.add(result(plans.get(i), action));
    }
    return results;
  }

  /**
   * InferenceServices applied earlier that found no runtime get planned again when this apply
   * brings a runtime, so they become servable without being re-applied.
   */
  private static List<Plan> replanWaitingForRuntime(List<Plan> plans, ControlSnapshot planning) {
    boolean runtimeChanged =
        plans.stream().anyMatch(p -> p.event().getKind().endsWith("ServingRuntime"));
    if (!runtimeChanged) {
      return List.of();
    }
    java.util.Set<String> applied = new java.util.HashSet<>();
    plans.forEach(
        p -> applied.add(key(p.event().getKind(), p.event().getNamespace(), p.event().getName())));
    List<Plan> replanned = new ArrayList<>();
    for (ResourceEvent event : List.copyOf(planning.resources().values())) {
      String key = key(event.getKind(), event.getNamespace(), event.getName());
      if (!applied.contains(key) && ResourcePlanner.awaitsRuntime(event)) {
        Plan plan = ResourcePlanner.plan(ResourcePlanner.manifestOf(event), planning);
        if (!ResourcePlanner.awaitsRuntime(plan.event())) {
          planning.put(plan.event());
          replanned.add(plan);
        }
      }
    }
    return replanned;
  }

  private static ApplyResult result(Plan plan, String action) {
    ResourceEvent event = plan.event();
    String revision =
        event.getSpec() instanceof InferenceServiceSpec spec
            ? spec.getPredictor().getRevision()
            : null;
    List<String> warnings = new ArrayList<>();
    UnknownFields.of(plan.manifest().resource()).stream()
        .map(path -> "unknown field \"" + path + "\" ignored")
        .forEach(warnings::add);
    plan.statuses().stream()
        .map(Plan.StatusRecord::value)
        .filter(v -> v != null)
        .map(v -> v.getReason() + ": " + v.getMessage())
        .findFirst()
        .ifPresent(warnings::add);
    String warning = warnings.isEmpty() ? null : String.join("; ", warnings);
    return new ApplyResult(
        event.getKind(), event.getNamespace(), event.getName(), action, revision, warning);
  }

  /**
   * Lists resources of a kind (kind, plural or short name: isvc, tm, ig, ...); {@code name} null
   * lists all of the namespace (cluster-scoped kinds ignore it).
   */
  public List<ResourceView> get(String kind, String nameOrNull, String namespace) {
    ResourceKind resourceKind = ResourceKind.fromName(kind);
    String ns = resourceKind.keyNamespace(namespace == null ? defaultNamespace : namespace);
    ControlSnapshot snapshot = ControlSnapshot.read(ctx);
    DriftWindows drift =
        resourceKind == ResourceKind.INFERENCE_SERVICE ? latestDrift() : new DriftWindows();
    List<ResourceView> views = new ArrayList<>();
    for (ResourceEvent event : snapshot.resources().values()) {
      if (!event.getKind().equals(resourceKind.kind())
          || !event.getNamespace().equals(ns)
          || (nameOrNull != null && !nameOrNull.equals(event.getName()))) {
        continue;
      }
      List<ComponentStatus> statuses =
          snapshot.statusesOf(event.getKind(), event.getNamespace(), event.getName());
      Object status = status(event, statuses, snapshot);
      views.add(new ResourceView(event, status, drift.of(ns, event.getName())));
    }
    if (nameOrNull != null && views.isEmpty()) {
      throw new dev.kaskade.schemas.error.KaskadeException(
          dev.kaskade.schemas.error.Reason.NOT_FOUND,
          resourceKind.kind() + " " + (ns.isEmpty() ? "" : ns + "/") + nameOrNull + " not found");
    }
    return views;
  }

  private Object status(
      ResourceEvent event, List<ComponentStatus> statuses, ControlSnapshot snapshot) {
    if (event.getSpec() instanceof InferenceServiceSpec) {
      return StatusAggregator.inferenceService(event, statuses, domain);
    }
    if (event.getSpec() instanceof dev.kaskade.events.TrainedModelSpec tm) {
      ResourceEvent parent =
          snapshot
              .current(
                  ResourceKind.INFERENCE_SERVICE, event.getNamespace(), tm.getInferenceService())
              .orElse(null);
      return TrainedModelStatus.of(
          event, statuses, parent, parent == null ? null : serviceStatus(parent, snapshot));
    }
    if (event.getSpec() instanceof dev.kaskade.events.InferenceGraphSpec) {
      ResourceStatus graph =
          GraphStatus.of(
              event,
              statuses,
              name ->
                  snapshot
                      .current(ResourceKind.INFERENCE_SERVICE, event.getNamespace(), name)
                      .map(service -> serviceStatus(service, snapshot)));
      // KServe's router answers at this host (POST /); the gateway serves it the same way.
      graph.setUrl(ResourceHost.url(event.getName(), event.getNamespace(), domain));
      return graph;
    }
    if (event.getKind().equals(ResourceKind.LOCAL_MODEL_CACHE.kind())) {
      return LocalModelCacheStatuses.of(event, statuses, snapshot.resources().values());
    }
    return StatusAggregator.generic(event, statuses);
  }

  private InferenceServiceStatus serviceStatus(ResourceEvent service, ControlSnapshot snapshot) {
    return StatusAggregator.inferenceService(
        service,
        snapshot.statusesOf(service.getKind(), service.getNamespace(), service.getName()),
        domain);
  }

  /** Deletes a resource (tombstones); false when it does not exist. */
  public synchronized boolean delete(String kind, String name, String namespace) {
    ResourceKind resourceKind = ResourceKind.fromName(kind);
    String ns = resourceKind.keyNamespace(namespace == null ? defaultNamespace : namespace);
    ControlSnapshot snapshot = ControlSnapshot.read(ctx);
    if (!snapshot.resources().containsKey(key(resourceKind.kind(), ns, name))) {
      return false;
    }
    publisher().delete(resourceKind.kind(), ns, name, snapshot);
    return true;
  }

  /** Renders a listing as {@code table}, or as a kubectl {@code List} in yaml/json. */
  public String render(List<ResourceView> views, String format) {
    return ViewRenderer.render(views, format);
  }

  /** Renders one named resource as {@code table}, or as the resource itself in yaml/json. */
  public String renderOne(ResourceView view, String format) {
    return ViewRenderer.renderOne(view, format);
  }

  /** The latest drift window per {@code namespace/model} (drift topic is not compacted). */
  private DriftWindows latestDrift() {
    DriftWindows latest = new DriftWindows();
    try {
      TopicReader.read(
          ctx,
          ctx.topics().monitorDrift(),
          DriftAlert.class,
          (key, alert) -> {
            if (alert != null) {
              latest.add(alert);
            }
          });
    } catch (RuntimeException e) {
      return new DriftWindows();
    }
    return latest;
  }

  private static String key(String kind, String namespace, String name) {
    return ResourceKeys.resource(kind, namespace, name);
  }

  private ControlPublisher publisher() {
    if (publisher == null) {
      publisher = new ControlPublisher(ctx);
    }
    return publisher;
  }

  static List<Path> manifestFiles(Path fileOrDir) {
    if (!Files.exists(fileOrDir)) {
      throw new ManifestException(fileOrDir.toString(), List.of("no such file or directory"));
    }
    if (!Files.isDirectory(fileOrDir)) {
      return List.of(fileOrDir);
    }
    try (Stream<Path> files = Files.list(fileOrDir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  Optional<ControlPublisher> publisherIfOpen() {
    return Optional.ofNullable(publisher);
  }

  @Override
  public synchronized void close() {
    if (publisher != null) {
      publisher.close();
      publisher = null;
    }
  }
}
