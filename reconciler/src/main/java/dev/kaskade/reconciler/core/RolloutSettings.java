package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.PredictorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * KServe's rollout and autoscaling settings that Kaskade does not act on in the current mode, each
 * named with what to use instead, so none is dropped silently. The result travels in the control
 * event as {@value #ANNOTATION} and becomes the condition {@value #CONDITION} (status False, reason
 * {@value #REASON}); standalone {@code apply} prints it as a warning.
 */
public final class RolloutSettings {
  public static final String ANNOTATION = "internal.kaskade.dev/not-acted-on";
  public static final String CONDITION = "SettingsApplied";
  public static final String REASON = "NotActedOn";

  static final String TAG_ROUTING = "serving.kserve.io/enable-tag-routing";
  static final String AUTOSCALER_CLASS = "serving.kserve.io/autoscalerClass";
  static final String METRICS = "serving.kserve.io/metrics";
  static final String TARGET_UTILIZATION = "serving.kserve.io/targetUtilizationPercentage";
  static final String KNATIVE_PREFIX = "autoscaling.knative.dev/";
  static final String ROLLOUT_DURATION = "serving.knative.dev/rollout-duration";

  private RolloutSettings() {}

  /**
   * What is not acted on.
   *
   * @param scalesWorkloads true in a cluster (KEDA/HPA honour replicas and scale targets); false
   *     standalone, where one in-process worker serves each revision
   */
  public static List<String> notActedOn(InferenceService isvc, boolean scalesWorkloads) {
    List<String> notes = new ArrayList<>();
    Map<String, String> annotations = isvc.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.forEach((key, value) -> annotation(key, value, scalesWorkloads, notes));
    }
    PredictorSpec predictor = isvc.getSpec() == null ? null : isvc.getSpec().getPredictor();
    if (predictor == null) {
      return notes;
    }
    if (!scalesWorkloads
        && (predictor.getMaxReplicas() != null
            || predictor.getScaleTarget() != null
            || predictor.getScaleMetric() != null
            || (predictor.getMinReplicas() != null && predictor.getMinReplicas() != 1))) {
      notes.add(
          "spec.predictor.minReplicas/maxReplicas/scaleTarget/scaleMetric: standalone runs one"
              + " in-process worker per revision; they apply in a cluster (KEDA or HPA)");
    }
    for (String field : List.of("scaleMetricType", "autoScaling", "deploymentStrategy")) {
      if (predictor.getScaleMetricType() != null && field.equals("scaleMetricType")
          || predictor.getAdditionalProperties().containsKey(field)) {
        notes.add(
            "spec.predictor."
                + field
                + ": not acted on (Kaskade scales on scaleMetric/scaleTarget; revisions roll out"
                + " by readiness)");
      }
    }
    return notes;
  }

  private static void annotation(
      String key, String value, boolean scalesWorkloads, List<String> notes) {
    if (key.equals(TAG_ROUTING)) {
      notes.add(
          key + ": no latest-/prev- tag hosts; traffic follows canaryTrafficPercent and readiness");
    } else if (key.equals(AUTOSCALER_CLASS)) {
      String cls = value == null ? "" : value.toLowerCase(Locale.ROOT);
      if (!scalesWorkloads || !(cls.equals("hpa") || cls.equals("keda"))) {
        notes.add(
            key
                + "="
                + value
                + ": not acted on (Serverless mode scales with KEDA on consumer lag, RawDeployment"
                + " with an HPA)");
      }
    } else if (key.equals(METRICS) || key.equals(TARGET_UTILIZATION)) {
      notes.add(key + ": not acted on; use spec.predictor.scaleMetric and scaleTarget");
    } else if (key.startsWith(KNATIVE_PREFIX) || key.equals(ROLLOUT_DURATION)) {
      notes.add(
          key
              + ": Knative setting, not acted on (no Knative); use spec.predictor.minReplicas,"
              + " maxReplicas, scaleTarget and canaryTrafficPercent");
    }
  }
}
