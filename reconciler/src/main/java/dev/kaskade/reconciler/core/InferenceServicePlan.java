package dev.kaskade.reconciler.core;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ModelSpec;
import dev.kaskade.schemas.runtime.RuntimeBridgeRules;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control-event spec of one InferenceService: defaults, runtime, revision, canary history and
 * why the revision cannot be served here, if it cannot.
 *
 * @param spec the Avro spec
 * @param internalAnnotations rollout history to carry in the event's annotations
 * @param issue why the latest revision cannot be served here, if so
 */
public record InferenceServicePlan(
    InferenceServiceSpec spec, Map<String, String> internalAnnotations, Optional<Issue> issue) {

  /** A reason (KServe lastFailureInfo reason) and message. */
  public record Issue(String reason, String message) {}

  /** Reason of a storage URI that only a ClusterStorageContainer fetches, in standalone mode. */
  public static final String STORAGE_CONTAINER_NOT_RUN = "StorageContainerNotRunnable";

  /**
   * The ClusterStorageContainers and whether their containers can run here (a cluster).
   *
   * @param containers every ClusterStorageContainer
   * @param runsContainers true in a cluster
   */
  public record Storage(
      List<dev.kaskade.reconciler.model.ClusterStorageContainer> containers,
      boolean runsContainers) {
    static final Storage NONE = new Storage(List.of(), false);
  }

  public static InferenceServicePlan of(
      InferenceService isvc,
      Path baseDir,
      List<RuntimeCandidate> runtimes,
      Optional<ResourceEvent> current) {
    return of(isvc, baseDir, runtimes, current, revision -> true, java.time.Instant.now());
  }

  /**
   * @param ready whether a predictor revision of this InferenceService reported Ready (a promotion
   *     moves traffic only then)
   * @param now the time of a rollout-history entry
   */
  public static InferenceServicePlan of(
      InferenceService isvc,
      Path baseDir,
      List<RuntimeCandidate> runtimes,
      Optional<ResourceEvent> current,
      java.util.function.Predicate<String> ready,
      java.time.Instant now) {
    return of(isvc, baseDir, runtimes, current, ready, now, true);
  }

  /** As above; {@code scalesWorkloads} says whether replica and scale settings are honoured. */
  public static InferenceServicePlan of(
      InferenceService isvc,
      Path baseDir,
      List<RuntimeCandidate> runtimes,
      Optional<ResourceEvent> current,
      java.util.function.Predicate<String> ready,
      java.time.Instant now,
      boolean scalesWorkloads) {
    return of(isvc, baseDir, runtimes, current, ready, now, scalesWorkloads, Storage.NONE);
  }

  /** As above; {@code storage}: the ClusterStorageContainers that may fetch the model. */
  public static InferenceServicePlan of(
      InferenceService isvc,
      Path baseDir,
      List<RuntimeCandidate> runtimes,
      Optional<ResourceEvent> current,
      java.util.function.Predicate<String> ready,
      java.time.Instant now,
      boolean scalesWorkloads,
      Storage storage) {
    List<String> notActedOn = RolloutSettings.notActedOn(isvc, scalesWorkloads);
    Defaulter.apply(isvc, baseDir);
    var predictor = isvc.getSpec().getPredictor();
    String mode = Deployments.mode(isvc);
    Optional<ModelSpec> model = PredictorImplementations.effectiveModel(predictor);
    RuntimeSelection selection =
        model
            .map(
                m ->
                    RuntimeSelector.select(
                        m,
                        isvc.getMetadata().getNamespace(),
                        Deployments.MODEL_MESH.equals(mode),
                        runtimes))
            .orElseGet(
                () ->
                    new RuntimeSelection.Unservable(
                        "RuntimeNotRecognized",
                        "custom predictor containers run only in a cluster, behind the runtime"
                            + " bridge; standalone, start the server yourself and annotate"
                            + " kaskade.dev/upstream-url, or use a model format a ServingRuntime"
                            + " supports"));
    String revision = Revisions.revision(isvc.getMetadata().getName(), "predictor", predictor);
    PredictorSpec latest = predictorSpec(isvc, revision, model, selection, mode);
    Integer percent =
        predictor.getCanaryTrafficPercent() == null
            ? null
            : predictor.getCanaryTrafficPercent().intValue();
    CanaryBookkeeping.After after =
        CanaryBookkeeping.next(before(current), latest, percent, ready.test(revision));
    InferenceServiceSpec spec =
        InferenceServiceSpec.newBuilder()
            .setDeploymentMode(mode)
            .setPredictor(latest)
            .setPreviousPredictor(after.previous())
            .setCanaryTrafficPercent(percent)
            .setTransformer(
                EventMapping.transformer(isvc, isvc.getSpec().getTransformer(), baseDir))
            .setExplainer(EventMapping.explainer(isvc, isvc.getSpec().getExplainer()))
            .setLogger(EventMapping.logger(predictor))
            .setMonitorJson(EventMapping.annotation(isvc, Validator.MONITOR_ANNOTATION, "{}"))
            .build();
    Map<String, String> history = new LinkedHashMap<>();
    history.put(CanaryBookkeeping.LATEST_ROLLED_OUT, after.latestRolledOut());
    if (after.previousRolledOut() != null) {
      history.put(CanaryBookkeeping.PREVIOUS_ROLLED_OUT, after.previousRolledOut());
    }
    history.put(
        RolloutHistory.ANNOTATION,
        RolloutHistory.append(
            current.map(e -> e.getAnnotations().get(RolloutHistory.ANNOTATION)).orElse(null),
            RolloutHistory.entry(spec, now)));
    if (!notActedOn.isEmpty()) {
      history.put(RolloutSettings.ANNOTATION, String.join("; ", notActedOn));
    }
    return new InferenceServicePlan(spec, history, issue(selection, latest, storage));
  }

  private static PredictorSpec predictorSpec(
      InferenceService isvc,
      String revision,
      Optional<ModelSpec> model,
      RuntimeSelection selection,
      String mode) {
    var predictor = isvc.getSpec().getPredictor();
    Map<String, String> parameters = EventMapping.kaskadeParameters(isvc);
    PredictorSpec.Builder builder =
        PredictorSpec.newBuilder()
            .setRevision(revision)
            .setMinReplicas(Defaulter.minReplicas(predictor))
            .setMaxReplicas(predictor.getMaxReplicas() == null ? 0 : predictor.getMaxReplicas())
            .setTimeoutSeconds(predictor.getTimeout())
            .setBatcher(EventMapping.batcher(predictor.getBatcher()))
            .setMultiModel(Deployments.MODEL_MESH.equals(mode));
    if (selection instanceof RuntimeSelection.Selected selected) {
      builder.setRuntime(selected.runtime().name());
      parameters.put(
          "runtimeKind",
          selected.runtime().clusterScoped() ? "ClusterServingRuntime" : "ServingRuntime");
    }
    model.ifPresent(
        m -> {
          builder
              .setModelFormat(m.getModelFormat().getName())
              .setModelFormatVersion(m.getModelFormat().getVersion())
              .setStorageUri(m.getStorageUri())
              .setProtocolVersion(m.getProtocolVersion())
              .setResources(EventMapping.resources(m.getResources()));
          if (m.getRuntimeVersion() != null) {
            parameters.put("runtimeVersion", m.getRuntimeVersion());
          }
          PredictorArgs.parameters(m).forEach(parameters::putIfAbsent);
        });
    return builder.setParameters(parameters).build();
  }

  private static CanaryBookkeeping.Before before(Optional<ResourceEvent> current) {
    if (current.isEmpty() || !(current.get().getSpec() instanceof InferenceServiceSpec spec)) {
      return CanaryBookkeeping.Before.NOTHING;
    }
    Map<String, String> annotations = current.get().getAnnotations();
    return new CanaryBookkeeping.Before(
        spec.getPredictor(),
        spec.getPreviousPredictor(),
        annotations.get(CanaryBookkeeping.LATEST_ROLLED_OUT),
        annotations.get(CanaryBookkeeping.PREVIOUS_ROLLED_OUT));
  }

  /**
   * The predictor parameter of the annotation {@code kaskade.dev/upstream-url}: the revision is
   * served by the runtime bridge calling that model server (model-workers {@code Upstream.URL}).
   */
  public static final String UPSTREAM_URL = RuntimeBridgeRules.UPSTREAM_URL;

  /** Whether a runtime bridge serves the revision: a model server runs elsewhere. */
  public static boolean bridged(PredictorSpec predictor) {
    String url = predictor.getParameters().get(UPSTREAM_URL);
    return url != null && !url.isBlank();
  }

  private static Optional<Issue> issue(
      RuntimeSelection selection, PredictorSpec latest, Storage storage) {
    if (bridged(latest)) {
      return Optional.empty(); // the model server has the model: no runtime, no storage needed
    }
    if (selection instanceof RuntimeSelection.Unservable unservable) {
      return Optional.of(new Issue(unservable.reason(), unservable.message()));
    }
    String uri = latest.getStorageUri();
    if (uri == null || StorageUris.servable(uri)) {
      return Optional.empty(); // Kaskade downloads it (in a cluster a matching container may)
    }
    var container = StorageContainers.initContainerFor(uri, storage.containers());
    if (container.isPresent()) {
      return storage.runsContainers()
          ? Optional.empty()
          : Optional.of(
              new Issue(
                  STORAGE_CONTAINER_NOT_RUN,
                  uri
                      + " is fetched by ClusterStorageContainer '"
                      + container.get().getMetadata().getName()
                      + "' (image "
                      + container.get().getSpec().getContainer().getImage()
                      + "), a container; standalone Kaskade runs no containers, so only a"
                      + " cluster can serve it (or use a scheme Kaskade downloads itself: "
                      + String.join(", ", StorageUris.SERVABLE.stream().sorted().toList())
                      + ")"));
    }
    return Optional.of(
        new Issue(
            "ModelLoadFailed",
            "storage scheme of "
                + uri
                + " is not supported by Kaskade's storage initializer (supported: "
                + String.join(", ", StorageUris.SERVABLE.stream().sorted().toList())
                + " and plain paths)"));
  }
}
