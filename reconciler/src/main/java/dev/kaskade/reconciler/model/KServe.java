package dev.kaskade.reconciler.model;

import java.util.List;

/** KServe API constants. */
public final class KServe {
  public static final String GROUP = "serving.kserve.io";
  public static final String DEPLOYMENT_MODE_ANNOTATION = "serving.kserve.io/deploymentMode";

  /** The framework shortcuts of {@code spec.predictor}, in KServe's order. */
  public static final List<String> FRAMEWORK_SHORTCUTS =
      List.of(
          "sklearn",
          "xgboost",
          "tensorflow",
          "pytorch",
          "triton",
          "onnx",
          "huggingface",
          "pmml",
          "lightgbm",
          "paddle");

  private KServe() {}
}
