package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.KServe;
import dev.kaskade.reconciler.model.ModelFormat;
import dev.kaskade.reconciler.model.ModelSpec;
import dev.kaskade.reconciler.model.PredictorSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The one-of of {@code spec.predictor}: {@code model} or a framework shortcut. */
public final class PredictorImplementations {
  private PredictorImplementations() {}

  /** Every set implementation by field name, in KServe's order ({@code model} first). */
  public static Map<String, ModelSpec> declared(PredictorSpec predictor) {
    Map<String, ModelSpec> result = new LinkedHashMap<>();
    put(result, "model", predictor.getModel());
    put(result, "sklearn", predictor.getSklearn());
    put(result, "xgboost", predictor.getXgboost());
    put(result, "tensorflow", predictor.getTensorflow());
    put(result, "pytorch", predictor.getPytorch());
    put(result, "triton", predictor.getTriton());
    put(result, "onnx", predictor.getOnnx());
    put(result, "huggingface", predictor.getHuggingface());
    put(result, "pmml", predictor.getPmml());
    put(result, "lightgbm", predictor.getLightgbm());
    put(result, "paddle", predictor.getPaddle());
    return result;
  }

  /** The field name of the single implementation, if exactly one is set. */
  public static Optional<String> field(PredictorSpec predictor) {
    Map<String, ModelSpec> declared = declared(predictor);
    return declared.size() == 1 ? declared.keySet().stream().findFirst() : Optional.empty();
  }

  /**
   * The implementation as a generic model: a framework shortcut {@code sklearn: {...}} reads as
   * {@code model: {modelFormat: {name: sklearn}, ...}}, as KServe does.
   */
  public static Optional<ModelSpec> effectiveModel(PredictorSpec predictor) {
    return field(predictor)
        .map(
            field -> {
              ModelSpec model = declared(predictor).get(field);
              if (!"model".equals(field) && model.getModelFormat() == null) {
                ModelFormat format = new ModelFormat();
                format.setName(field);
                model.setModelFormat(format);
              }
              return model;
            });
  }

  /** True when the predictor is a custom container with no model implementation. */
  public static boolean isCustomContainer(PredictorSpec predictor) {
    return declared(predictor).isEmpty()
        && predictor.getContainers() != null
        && !predictor.getContainers().isEmpty();
  }

  static boolean isShortcut(String field) {
    return KServe.FRAMEWORK_SHORTCUTS.contains(field);
  }

  private static void put(Map<String, ModelSpec> result, String field, ModelSpec spec) {
    if (spec != null) {
      result.put(field, spec);
    }
  }
}
