package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ModelSpec;
import dev.kaskade.reconciler.model.PredictorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** KServe defaulting of an InferenceService, applied to the typed resource before planning. */
public final class Defaulter {
  public static final String DEFAULT_PROTOCOL = "v1";

  private Defaulter() {}

  /** A JSON patch operation the admission webhook returns. */
  public record PatchOp(String op, String path, Object value) {}

  /**
   * Sets {@code protocolVersion} (v1) on the model implementation and {@code minReplicas} (1) on
   * the predictor, and resolves a relative plain-path storageUri against {@code baseDir}; returns
   * the JSON patch for the fields it added.
   */
  public static List<PatchOp> apply(InferenceService isvc, Path baseDir) {
    List<PatchOp> patch = new ArrayList<>();
    if (isvc.getSpec() == null || isvc.getSpec().getPredictor() == null) {
      return patch;
    }
    PredictorSpec predictor = isvc.getSpec().getPredictor();
    for (Map.Entry<String, ModelSpec> entry :
        PredictorImplementations.declared(predictor).entrySet()) {
      ModelSpec model = entry.getValue();
      if (model.getProtocolVersion() == null) {
        model.setProtocolVersion(DEFAULT_PROTOCOL);
        patch.add(
            new PatchOp(
                "add", "/spec/predictor/" + entry.getKey() + "/protocolVersion", DEFAULT_PROTOCOL));
      }
      model.setStorageUri(StorageUris.resolve(model.getStorageUri(), baseDir));
    }
    return patch;
  }

  /** The predictor's minReplicas with KServe's default of 1. */
  public static int minReplicas(PredictorSpec predictor) {
    return predictor.getMinReplicas() == null ? 1 : predictor.getMinReplicas();
  }
}
