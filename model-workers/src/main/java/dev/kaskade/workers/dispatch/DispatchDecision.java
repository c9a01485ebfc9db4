package dev.kaskade.workers.dispatch;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.route.TrafficSplit;
import java.util.Optional;

/**
 * Pure routing of one request record: skip it (a transformer consumes it), send it to a predictor
 * revision, or answer it with an error.
 */
public sealed interface DispatchDecision {
  /** The InferenceService has a transformer, whose topology reads the requests topic itself. */
  record Skip() implements DispatchDecision {}

  /** Forward to this revision; {@code multiModel} asks for partitioning by model name. */
  record Forward(String revision, boolean multiModel) implements DispatchDecision {}

  /** Answer with this error instead. */
  record Reject(KaskadeException error) implements DispatchDecision {}

  /**
   * Decides where a request goes.
   *
   * @param name InferenceService name (for messages)
   * @param spec its spec, empty when unknown
   * @param requestId the record key (or kaskade-request-id header)
   * @param pinnedRevision the kaskade-model-version header, or null
   */
  static DispatchDecision decide(
      String namespace,
      String name,
      Optional<InferenceServiceSpec> spec,
      String requestId,
      String pinnedRevision) {
    if (spec.isEmpty()) {
      return new Reject(
          KaskadeException.notFound("InferenceService " + namespace + "/" + name + " not found"));
    }
    InferenceServiceSpec isvc = spec.get();
    if (isvc.getTransformer() != null) {
      return new Skip();
    }
    if (pinnedRevision != null && !pinnedRevision.isBlank()) {
      PredictorSpec latest = isvc.getPredictor();
      PredictorSpec previous = isvc.getPreviousPredictor();
      if (latest.getRevision().equals(pinnedRevision)) {
        return new Forward(pinnedRevision, latest.getMultiModel());
      }
      if (previous != null && previous.getRevision().equals(pinnedRevision)) {
        return new Forward(pinnedRevision, previous.getMultiModel());
      }
      return new Reject(
          KaskadeException.notFound(
              "revision "
                  + pinnedRevision
                  + " of InferenceService "
                  + namespace
                  + "/"
                  + name
                  + " not found"));
    }
    String revision = TrafficSplit.revisionFor(requestId, isvc);
    boolean multi =
        revision.equals(isvc.getPredictor().getRevision())
            ? isvc.getPredictor().getMultiModel()
            : isvc.getPreviousPredictor().getMultiModel();
    return new Forward(revision, multi);
  }
}
