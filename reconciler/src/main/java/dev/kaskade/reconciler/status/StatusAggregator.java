package dev.kaskade.reconciler.status;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.CanaryBookkeeping;
import dev.kaskade.reconciler.model.Addressable;
import dev.kaskade.reconciler.model.ComponentStatusSpec;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.FailureInfo;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.model.ModelRevisionStates;
import dev.kaskade.reconciler.model.ModelStatus;
import dev.kaskade.reconciler.model.ResourceStatus;
import dev.kaskade.reconciler.model.TrafficTarget;
import dev.kaskade.schemas.kafka.StatusComponents;
import dev.kaskade.schemas.route.ResourceHost;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pure: turns the ComponentStatus events of one resource into the {@code .status} KServe would
 * write (conditions, url, address, components.predictor with traffic, modelStatus).
 */
public final class StatusAggregator {
  static final Set<String> INVALID_SPEC_REASONS =
      Set.of("NoSupportingRuntime", "RuntimeNotRecognized", "RuntimeDisabled");

  private StatusAggregator() {}

  /** The state of one revision, summarised over every reporting instance. */
  record RevisionState(ModelState state, ComponentStatus evidence) {
    boolean ready() {
      return state == ModelState.Ready;
    }
  }

  /** The status of an InferenceService. {@code domain} builds {@code http://name.ns.domain}. */
  public static InferenceServiceStatus inferenceService(
      ResourceEvent event, Collection<ComponentStatus> statuses, String domain) {
    InferenceServiceSpec spec = (InferenceServiceSpec) event.getSpec();
    String name = event.getName();
    String ns = event.getNamespace();
    PredictorSpec latest = spec.getPredictor();
    PredictorSpec previous = spec.getPreviousPredictor();
    RevisionState latestState = state(statuses, StatusComponents.PREDICTOR, latest.getRevision());
    RevisionState previousState =
        previous == null
            ? null
            : state(statuses, StatusComponents.PREDICTOR, previous.getRevision());

    InferenceServiceStatus status = new InferenceServiceStatus();
    status.setObservedGeneration(event.getGeneration());
    status.setDeploymentMode(spec.getDeploymentMode());
    status.setUrl(ResourceHost.url(name, ns, domain));
    Addressable address = new Addressable();
    address.setUrl("http://" + name + "-predictor." + ns + ".svc.cluster.local");
    status.setAddress(address);
    String runtimeKind = latest.getParameters().get("runtimeKind");
    if ("ClusterServingRuntime".equals(runtimeKind)) {
      status.setClusterServingRuntimeName(latest.getRuntime());
    } else if (runtimeKind != null) {
      status.setServingRuntimeName(latest.getRuntime());
    }

    List<Condition> conditions = new ArrayList<>(conditions(spec, statuses, latestState));
    RolloutStatus.latestDeploymentReady(spec, latestState, previousState)
        .ifPresent(conditions::add);
    conditions.addAll(RolloutStatus.settingsNotActedOn(event));
    conditions.sort(Comparator.comparing(Condition::getType));
    status.setConditions(conditions);

    Map<String, ComponentStatusSpec> components = new LinkedHashMap<>();
    components.put("predictor", predictorComponent(event, spec, latestState, previousState));
    status.setComponents(components);
    status.setModelStatus(modelStatus(latest, latestState, previousState));
    return status;
  }

  /**
   * PredictorReady, TransformerReady, ExplainerReady, IngressReady and Ready, sorted by type. Ready
   * needs every component the spec has, as KServe's; the transformer and explainer conditions come
   * from what the stream processors report for them.
   */
  private static List<Condition> conditions(
      InferenceServiceSpec spec, Collection<ComponentStatus> statuses, RevisionState latestState) {
    List<Condition> conditions = new ArrayList<>();
    Condition predictorReady = condition("PredictorReady", latestState);
    conditions.add(predictorReady);
    List<Condition> required = new ArrayList<>(List.of(predictorReady));
    if (spec.getTransformer() != null) {
      Condition c =
          condition(
              "TransformerReady",
              state(statuses, StatusComponents.TRANSFORMER, spec.getTransformer().getRevision()),
              "waiting for the stream processors to load the transformer");
      conditions.add(c);
      required.add(c);
    }
    if (spec.getExplainer() != null) {
      Condition c =
          condition(
              "ExplainerReady",
              state(statuses, StatusComponents.EXPLAINER, null),
              "waiting for the stream processors to serve the explainer");
      conditions.add(c);
      required.add(c);
    }
    Condition ingress = new Condition();
    ingress.setType("IngressReady");
    ingress.setStatus("True");
    conditions.add(ingress);
    conditions.add(ready(required));
    conditions.sort(Comparator.comparing(Condition::getType));
    return conditions;
  }

  /** The status of a TrainedModel, InferenceGraph, runtime or cache: a Ready condition. */
  public static ResourceStatus generic(ResourceEvent event, Collection<ComponentStatus> statuses) {
    ResourceStatus status = new ResourceStatus();
    status.setObservedGeneration(event.getGeneration());
    Optional<ComponentStatus> worst =
        statuses.stream().max(Comparator.comparingInt(s -> severity(s.getState())));
    Condition ready = new Condition();
    ready.setType("Ready");
    if (event.getKind().endsWith("ServingRuntime") || event.getKind().equals("LocalModelCache")) {
      ready.setStatus("True");
    } else if (worst.isEmpty()) {
      ready.setStatus("Unknown");
      ready.setReason("Pending");
    } else {
      RevisionState state = new RevisionState(worst.get().getState(), worst.get());
      Condition c = condition("Ready", state);
      ready = c;
    }
    status.setConditions(List.of(ready));
    return status;
  }

  private static int severity(ModelState state) {
    return switch (state) {
      case FailedToLoad -> 3;
      case Loading, Pending, Unknown -> 2;
      case Unloaded -> 1;
      case Ready -> 0;
    };
  }

  static RevisionState state(
      Collection<ComponentStatus> statuses, String component, String revision) {
    List<ComponentStatus> relevant =
        statuses.stream()
            .filter(s -> s.getComponent().equals(component))
            .filter(s -> revision == null || s.getRevision().equals(revision))
            .toList();
    for (ModelState wanted :
        List.of(
            ModelState.Ready, ModelState.FailedToLoad, ModelState.Loading, ModelState.Pending)) {
      Optional<ComponentStatus> match =
          relevant.stream().filter(s -> s.getState() == wanted).findFirst();
      if (match.isPresent()) {
        return new RevisionState(wanted, match.get());
      }
    }
    return new RevisionState(ModelState.Pending, null);
  }

  static Condition condition(String type, RevisionState state) {
    return condition(type, state, "waiting for a worker to load the model");
  }

  /** A condition from a component's state; {@code waiting} says what nothing reported yet means. */
  static Condition condition(String type, RevisionState state, String waiting) {
    Condition c = new Condition();
    c.setType(type);
    ComponentStatus evidence = state.evidence();
    if (evidence != null && evidence.getTimestampMs() > 0) {
      c.setLastTransitionTime(Instant.ofEpochMilli(evidence.getTimestampMs()).toString());
    }
    switch (state.state()) {
      case Ready -> c.setStatus("True");
      case FailedToLoad -> {
        c.setStatus("False");
        c.setReason(evidence.getReason() == null ? "ModelLoadFailed" : evidence.getReason());
        c.setMessage(evidence.getMessage());
      }
      default -> {
        c.setStatus("Unknown");
        c.setReason(state.state() == ModelState.Loading ? "Loading" : "Pending");
        c.setMessage(evidence == null ? waiting : null);
      }
    }
    return c;
  }

  static Condition ready(List<Condition> required) {
    Condition ready = new Condition();
    ready.setType("Ready");
    Optional<Condition> failed =
        required.stream().filter(c -> "False".equals(c.getStatus())).findFirst();
    Optional<Condition> unknown =
        required.stream().filter(c -> "Unknown".equals(c.getStatus())).findFirst();
    if (failed.isPresent()) {
      ready.setStatus("False");
      ready.setReason(failed.get().getReason());
      ready.setMessage(failed.get().getMessage());
    } else if (unknown.isPresent()) {
      ready.setStatus("Unknown");
      ready.setReason(unknown.get().getReason());
    } else {
      ready.setStatus("True");
    }
    return ready;
  }

  private static ComponentStatusSpec predictorComponent(
      ResourceEvent event,
      InferenceServiceSpec spec,
      RevisionState latestState,
      RevisionState previousState) {
    PredictorSpec latest = spec.getPredictor();
    PredictorSpec previous = spec.getPreviousPredictor();
    ComponentStatusSpec component = new ComponentStatusSpec();
    component.setLatestCreatedRevision(latest.getRevision());
    if (latestState.ready()) {
      component.setLatestReadyRevision(latest.getRevision());
    } else if (previousState != null && previousState.ready()) {
      component.setLatestReadyRevision(previous.getRevision());
    }
    component.setLatestRolledoutRevision(
        event.getAnnotations().get(CanaryBookkeeping.LATEST_ROLLED_OUT));
    component.setPreviousRolledoutRevision(
        event.getAnnotations().get(CanaryBookkeeping.PREVIOUS_ROLLED_OUT));
    component.setTraffic(
        RolloutStatus.traffic(
            spec, latestState.ready(), previousState != null && previousState.ready()));
    component.setRolloutHistory(RolloutStatus.history(event));
    return component;
  }

  /** The split TrafficSplit applies: P% latest, the rest on the kept previous revision. */
  public static List<TrafficTarget> traffic(InferenceServiceSpec spec) {
    PredictorSpec previous = spec.getPreviousPredictor();
    Integer percent = spec.getCanaryTrafficPercent();
    TrafficTarget latest = new TrafficTarget();
    latest.setRevisionName(spec.getPredictor().getRevision());
    latest.setLatestRevision(true);
    if (previous == null || percent == null || percent >= 100) {
      latest.setPercent(100L);
      return List.of(latest);
    }
    latest.setTag("latest");
    latest.setPercent(percent.longValue());
    TrafficTarget prev = new TrafficTarget();
    prev.setTag("prev");
    prev.setRevisionName(previous.getRevision());
    prev.setLatestRevision(false);
    prev.setPercent(100L - percent);
    return List.of(latest, prev);
  }

  private static ModelStatus modelStatus(
      PredictorSpec latest, RevisionState latestState, RevisionState previousState) {
    ModelStatus model = new ModelStatus();
    ModelRevisionStates states = new ModelRevisionStates();
    states.setTargetModelState(modelState(latestState.state()));
    boolean anyReady = latestState.ready() || (previousState != null && previousState.ready());
    states.setActiveModelState(anyReady ? "Loaded" : "");
    model.setStates(states);
    switch (latestState.state()) {
      case Ready -> model.setTransitionStatus("UpToDate");
      case FailedToLoad -> {
        ComponentStatus evidence = latestState.evidence();
        model.setTransitionStatus(
            INVALID_SPEC_REASONS.contains(evidence.getReason())
                ? "InvalidSpec"
                : "BlockedByFailedLoad");
        FailureInfo failure = new FailureInfo();
        failure.setReason(evidence.getReason() == null ? "ModelLoadFailed" : evidence.getReason());
        failure.setMessage(evidence.getMessage());
        failure.setLocation(evidence.getInstance());
        failure.setModelRevisionName(latest.getRevision());
        if (evidence.getTimestampMs() > 0) {
          failure.setTime(Instant.ofEpochMilli(evidence.getTimestampMs()).toString());
        }
        model.setLastFailureInfo(failure);
      }
      default -> model.setTransitionStatus("InProgress");
    }
    return model;
  }

  private static String modelState(ModelState state) {
    return switch (state) {
      case Ready -> "Loaded";
      case FailedToLoad -> "FailedToLoad";
      case Loading -> "Loading";
      case Unloaded -> "Standby";
      default -> "Pending";
    };
  }
}
