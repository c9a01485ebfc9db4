package dev.kaskade.schemas.route;

import dev.kaskade.events.ModelState;
import java.util.Collection;

/**
 * The rules for serving a TrainedModel that the gateway (routing) and the control plane (its {@code
 * Ready} condition) must agree on, so status never says Ready while the gateway refuses. Pure.
 */
public final class TrainedModelRules {
  /** Reason of an {@code Unloaded} report for a model a worker evicted to fit its memory budget. */
  public static final String EVICTED = "Evicted";

  private TrainedModelRules() {}

  /**
   * Whether requests may go to the model: an instance has it loaded, or the parent serves (ready,
   * multi-model) and no instance failed to load it. Evicted, loading and never-loaded models are
   * servable: the worker loads them on the next request.
   *
   * @param reported the states its worker instances report
   */
  public static boolean servable(Collection<ModelState> reported, boolean parentServes) {
    if (reported.contains(ModelState.Ready)) {
      return true;
    }
    return parentServes && !reported.contains(ModelState.FailedToLoad);
  }

  /** Why a TrainedModel of a single-model InferenceService is not served, and what it needs. */
  public static String notMultiModel(String trainedModel, String parent) {
    return "TrainedModel "
        + trainedModel
        + " needs a multi-model InferenceService, but "
        + parent
        + " serves a single model: give it the annotation serving.kserve.io/deploymentMode:"
        + " ModelMesh and a ServingRuntime with multiModel: true";
  }
}
