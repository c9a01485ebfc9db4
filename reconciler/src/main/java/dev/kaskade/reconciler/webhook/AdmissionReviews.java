package dev.kaskade.reconciler.webhook;

import dev.kaskade.reconciler.core.Defaulter;
import dev.kaskade.reconciler.core.Deployments;
import dev.kaskade.reconciler.core.KnownResources;
import dev.kaskade.reconciler.core.Manifest;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.ManifestException;
import dev.kaskade.reconciler.core.PredictorImplementations;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.core.RuntimeCandidate;
import dev.kaskade.reconciler.core.RuntimeSelection;
import dev.kaskade.reconciler.core.RuntimeSelector;
import dev.kaskade.reconciler.core.UnknownFields;
import dev.kaskade.reconciler.core.Validator;
import dev.kaskade.reconciler.model.InferenceService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Pure AdmissionReview (admission.k8s.io/v1) handling: validation answers {@code allowed: false}
 * with a 400 status whose message names the field; defaulting answers a JSON patch that sets {@code
 * protocolVersion} and, when a runtime can be selected, {@code runtime}.
 */
public final class AdmissionReviews {
  private final Supplier<List<RuntimeCandidate>> runtimes;
  private final KnownResources known;

  /** Validation that leaves references to other resources to the reconciler. */
  public AdmissionReviews(Supplier<List<RuntimeCandidate>> runtimes) {
    this(runtimes, KnownResources.ANY);
  }

  /** Validation that also checks graph steps and TrainedModel parents against {@code known}. */
  public AdmissionReviews(Supplier<List<RuntimeCandidate>> runtimes, KnownResources known) {
    this.runtimes = runtimes;
    this.known = known;
  }

  /** Answers a review; {@code mutate} selects defaulting instead of validation. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> handle(Map<String, Object> review, boolean mutate) {
    Map<String, Object> request = (Map<String, Object>) review.getOrDefault("request", Map.of());
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("uid", request.get("uid"));
    response.put("allowed", true);
    Object object = request.get("object");
    if (object instanceof Map<?, ?> map && !"DELETE".equals(request.get("operation"))) {
      try {
        Manifest manifest = manifest((Map<String, Object>) map, (String) request.get("namespace"));
        if (manifest != null) {
          if (mutate) {
            patch(manifest, response);
          } else {
            Validator.requireValid(manifest, known);
            List<String> unknown = UnknownFields.of(manifest.resource());
            if (!unknown.isEmpty()) {
              response.put(
                  "warnings",
                  unknown.stream().map(path -> "unknown field \"" + path + "\"").toList());
            }
          }
        }
      } catch (ManifestException e) {
        response.put("allowed", false);
        response.put("status", Map.of("code", 400, "reason", "Invalid", "message", e.getMessage()));
      }
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("apiVersion", "admission.k8s.io/v1");
    answer.put("kind", "AdmissionReview");
    answer.put("response", response);
    return answer;
  }

  /** A manifest of a kind Kaskade serves, or null for any other kind (allowed unchanged). */
  private static Manifest manifest(Map<String, Object> object, String namespace) {
    if (ResourceKind.fromKind(String.valueOf(object.get("kind"))).isEmpty()) {
      return null;
    }
    String json = ManifestCodec.toJson(object);
    return ManifestCodec.parse(
            json, "admission request", null, namespace == null ? "default" : namespace)
        .get(0);
  }

  private void patch(Manifest manifest, Map<String, Object> response) {
    if (!(manifest.resource() instanceof InferenceService isvc)
        || isvc.getSpec() == null
        || isvc.getSpec().getPredictor() == null) {
      return;
    }
    List<Map<String, Object>> ops = new ArrayList<>();
    for (Defaulter.PatchOp op : Defaulter.apply(isvc, null)) {
      ops.add(op(op.path(), op.value()));
    }
    var predictor = isvc.getSpec().getPredictor();
    var field = PredictorImplementations.field(predictor);
    var model = PredictorImplementations.effectiveModel(predictor);
    if (field.isPresent() && model.isPresent() && model.get().getRuntime() == null) {
      RuntimeSelection selection =
          RuntimeSelector.select(
              model.get(),
              isvc.getMetadata().getNamespace(),
              Deployments.MODEL_MESH.equals(Deployments.mode(isvc)),
              runtimes.get());
      if (selection instanceof RuntimeSelection.Selected selected) {
        ops.add(op("/spec/predictor/" + field.get() + "/runtime", selected.runtime().name()));
      }
    }
    if (!ops.isEmpty()) {
      response.put("patchType", "JSONPatch");
      response.put(
          "patch",
          Base64.getEncoder()
              .encodeToString(ManifestCodec.toJson(ops).getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static Map<String, Object> op(String path, Object value) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("op", "add");
    op.put("path", path);
    op.put("value", value);
    return op;
  }
}
