package dev.kaskade.gateway.route;

import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import java.util.List;

/** Pure rules for routing to a TrainedModel from the states its workers report. */
final class TrainedModelStates {
  private TrainedModelStates() {}

  /**
   * Whether a request may go to the model: an instance has it loaded, or the parent serves and no
   * instance failed to load it. Evicted ({@code Unloaded}/{@code Evicted}), {@code Loading} and
   * never-loaded models are routable: the worker loads them on this request.
   */
  static boolean routable(List<ModelState> reported, boolean parentServes) {
    if (reported.contains(ModelState.Ready)) {
      return true;
    }
    return parentServes && !reported.contains(ModelState.FailedToLoad);
  }

  /** Why a TrainedModel of a single-model InferenceService is not served. */
  static String notMultiModel(String trainedModel, ResourceEvent parent) {
    return "TrainedModel "
        + trainedModel
        + " is attached to InferenceService "
        + parent.getName()
        + ", which serves a single model: TrainedModels need a multi-model InferenceService"
        + " (annotation serving.kserve.io/deploymentMode: ModelMesh and a ServingRuntime with"
        + " multiModel: true)";
  }
}
