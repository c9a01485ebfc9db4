package dev.kaskade.reconciler.status;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.model.ResourceStatus;
import dev.kaskade.schemas.route.TrainedModelRules;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Pure: the status of a TrainedModel. KServe's url and conditions ({@code InferenceServiceReady},
 * {@code IsMMSPredictor}, {@code Ready}), plus {@code modelState} from what its workers report.
 * Ready follows the gateway's rule ({@link TrainedModelRules#servable}): a multi-model parent and
 * an instance that has the model loaded, or a ready parent and no instance that failed to load it
 * (an evicted or not yet loaded model is Ready because its next request loads it).
 */
public final class TrainedModelStatus {
  /** Ready's reason for a TrainedModel whose parent serves a single model. */
  public static final String NOT_MULTI_MODEL = "NotMultiModelPredictor";

  static final String LOADED = "Loaded";
  static final String LOADING = "Loading";
  static final String FAILED = "FailedToLoad";
  static final String NOT_LOADED = "NotLoaded";

  private TrainedModelStatus() {}

  /**
   * @param own the ComponentStatus records of the TrainedModel (one per worker instance)
   * @param parent the parent InferenceService's control event, or null
   * @param parentStatus the parent's status, or null
   */
  public static ResourceStatus of(
      ResourceEvent event,
      Collection<ComponentStatus> own,
      ResourceEvent parent,
      InferenceServiceStatus parentStatus) {
    ResourceStatus status = new ResourceStatus();
    status.setObservedGeneration(event.getGeneration());
    Optional<ComponentStatus> evidence = evidence(own);
    String modelState = modelState(evidence);
    status.setModelState(modelState);
    Condition parentReady = condition("InferenceServiceReady");
    Condition mms = condition("IsMMSPredictor");
    Condition ready = condition("Ready");
    if (parent == null || parentStatus == null) {
      parentReady.setStatus("False");
      parentReady.setReason("InferenceServiceNotFound");
      mms.setStatus("Unknown");
      copy(parentReady, ready);
      status.setConditions(List.of(parentReady, mms, ready));
      return status;
    }
    InferenceServiceSpec spec = (InferenceServiceSpec) parent.getSpec();
    status.setUrl(parentStatus.getUrl() + path(spec, event.getName()));
    Condition parentCondition =
        parentStatus.getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .findFirst()
            .orElseThrow();
    parentReady.setStatus(parentCondition.getStatus());
    parentReady.setReason(parentCondition.getReason());
    boolean multiModel = spec.getPredictor().getMultiModel();
    mms.setStatus(multiModel ? "True" : "False");
    if (!multiModel) {
      mms.setReason(NOT_MULTI_MODEL);
      mms.setMessage(TrainedModelRules.notMultiModel(event.getName(), parent.getName()));
      copy(mms, ready);
    } else if (TrainedModelRules.servable(
        own.stream().map(ComponentStatus::getState).toList(),
        "True".equals(parentReady.getStatus()))) {
      ready.setStatus("True");
      ready.setReason(modelState);
    } else if (!"True".equals(parentReady.getStatus())) {
      copy(parentReady, ready);
    } else {
      ready.setStatus("False");
      ready.setReason(
          evidence.get().getReason() == null ? "ModelLoadFailed" : evidence.get().getReason());
      ready.setMessage(evidence.get().getMessage());
    }
    status.setConditions(List.of(parentReady, mms, ready));
    return status;
  }

  /**
   * The most telling report: Ready, then FailedToLoad, then Loading, then an eviction; the order
   * follows {@link TrainedModelRules#servable}, under which a failed load outranks a load
   * elsewhere.
   */
  private static Optional<ComponentStatus> evidence(Collection<ComponentStatus> own) {
    for (ModelState wanted :
        List.of(ModelState.Ready, ModelState.FailedToLoad, ModelState.Loading)) {
      Optional<ComponentStatus> match =
          own.stream().filter(s -> s.getState() == wanted).findFirst();
      if (match.isPresent()) {
        return match;
      }
    }
    return own.stream().filter(TrainedModelStatus::evicted).findFirst();
  }

  private static String modelState(Optional<ComponentStatus> evidence) {
    if (evidence.isEmpty()) {
      return NOT_LOADED;
    }
    return switch (evidence.get().getState()) {
      case Ready -> LOADED;
      case Loading -> LOADING;
      case FailedToLoad -> FAILED;
      default -> TrainedModelRules.EVICTED;
    };
  }

  private static boolean evicted(ComponentStatus s) {
    return s.getState() == ModelState.Unloaded && TrainedModelRules.EVICTED.equals(s.getReason());
  }

  private static String path(InferenceServiceSpec spec, String name) {
    return spec.getPredictor().getProtocolVersion().startsWith("v2")
        ? "/v2/models/" + name + "/infer"
        : "/v1/models/" + name + ":predict";
  }

  private static Condition condition(String type) {
    Condition c = new Condition();
    c.setType(type);
    return c;
  }

  private static void copy(Condition from, Condition to) {
    to.setStatus(from.getStatus());
    to.setReason(from.getReason());
    to.setMessage(from.getMessage());
  }
}
