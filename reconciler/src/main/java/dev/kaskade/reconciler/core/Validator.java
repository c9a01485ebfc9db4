package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.Batcher;
import dev.kaskade.reconciler.model.ComponentExtension;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.KServe;
import dev.kaskade.reconciler.model.LocalModelCache;
import dev.kaskade.reconciler.model.ModelSpec;
import dev.kaskade.reconciler.model.PredictorSpec;
import dev.kaskade.reconciler.model.ServingRuntimeSpec;
import dev.kaskade.reconciler.model.SupportedModelFormat;
import dev.kaskade.reconciler.model.TrainedModel;
import dev.kaskade.schemas.monitor.MonitorSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Pure validation of every kind. Each error names the field and the reason, e.g. {@code
 * spec.predictor.canaryTrafficPercent: must be between 0 and 100, got 120}.
 */
public final class Validator {
  static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  static final Pattern KSERVE_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  static final Set<String> PROTOCOLS = Set.of("v1", "v2", "grpc-v1", "grpc-v2");
  static final Set<String> DEPLOYMENT_MODES =
      Set.of("Standard", "RawDeployment", "Knative", "Serverless", "ModelMesh");
  static final Set<String> LOGGER_MODES = Set.of("all", "request", "response");
  static final String MONITOR_ANNOTATION = "kaskade.dev/monitor";

  private Validator() {}

  /** Validates one manifest; {@code known} answers whether referenced resources exist. */
  public static List<String> validate(Manifest manifest, KnownResources known) {
    List<String> errors = new ArrayList<>();
    metadata(manifest.resource(), manifest.kind(), errors);
    HasMetadata resource = manifest.resource();
    switch (resource) {
      case InferenceService isvc ->
          inferenceService(
              isvc,
              uri -> StorageContainers.initContainerFor(uri, known.storageContainers()).isPresent(),
              errors);
      case dev.kaskade.reconciler.model.ServingRuntime sr -> runtime(sr.getSpec(), errors);
      case dev.kaskade.reconciler.model.ClusterServingRuntime csr -> runtime(csr.getSpec(), errors);
      case TrainedModel tm -> trainedModel(tm, known, errors);
      case dev.kaskade.reconciler.model.InferenceGraph ig ->
          GraphValidator.validate(ig, known, errors);
      case LocalModelCache cache ->
          localModelCache(
              cache,
              uri ->
                  StorageContainers.matching(
                          uri,
                          known.storageContainers(),
                          dev.kaskade.reconciler.model.StorageContainerSpec
                              .LOCAL_MODEL_DOWNLOAD_JOB)
                      .isPresent(),
              errors);
      case dev.kaskade.reconciler.model.LocalModelNodeGroup group ->
          LocalModelValidation.nodeGroup(group, errors);
      case dev.kaskade.reconciler.model.LocalModelNode node ->
          LocalModelValidation.node(node, errors);
      case dev.kaskade.reconciler.model.ClusterStorageContainer csc ->
          errors.addAll(StorageContainers.validate(csc));
      default -> errors.add("kind: unsupported");
    }
    return errors;
  }

  /** Throws {@link ManifestException} listing every error, if any. */
  public static void requireValid(Manifest manifest, KnownResources known) {
    List<String> errors = validate(manifest, known);
    if (!errors.isEmpty()) {
      throw new ManifestException(manifest.describe(), errors);
    }
  }

  private static void metadata(HasMetadata resource, ResourceKind kind, List<String> errors) {
    String name = resource.getMetadata().getName();
    Pattern pattern = kind == ResourceKind.INFERENCE_SERVICE ? KSERVE_NAME : DNS_1123_LABEL;
    if (name == null || name.isEmpty()) {
      errors.add("metadata.name: required");
    } else if (!pattern.matcher(name).matches() || name.length() > 63) {
      errors.add(
          "metadata.name: must be a DNS-1123 label ("
              + pattern.pattern()
              + ", at most 63 characters), got '"
              + name
              + "'");
    }
    String namespace = resource.getMetadata().getNamespace();
    if (kind.namespaced() && namespace != null && !DNS_1123_LABEL.matcher(namespace).matches()) {
      errors.add("metadata.namespace: must be a DNS-1123 label, got '" + namespace + "'");
    }
  }

  static void inferenceService(InferenceService isvc, List<String> errors) {
    inferenceService(isvc, uri -> false, errors);
  }

  /** {@code fetchedByContainer}: whether a ClusterStorageContainer fetches a storage URI. */
  static void inferenceService(
      InferenceService isvc, Predicate<String> fetchedByContainer, List<String> errors) {
    Map<String, String> annotations = isvc.getMetadata().getAnnotations();
    if (annotations != null) {
      String mode = annotations.get(KServe.DEPLOYMENT_MODE_ANNOTATION);
      if (mode != null && !DEPLOYMENT_MODES.contains(mode)) {
        errors.add(
            "metadata.annotations["
                + KServe.DEPLOYMENT_MODE_ANNOTATION
                + "]: must be one of "
                + DEPLOYMENT_MODES
                + ", got '"
                + mode
                + "'");
      }
      monitor(annotations.get(MONITOR_ANNOTATION), errors);
    }
    if (isvc.getSpec() == null || isvc.getSpec().getPredictor() == null) {
      errors.add("spec.predictor: required");
      return;
    }
    predictor(isvc.getSpec().getPredictor(), fetchedByContainer, errors);
    if (isvc.getSpec().getTransformer() != null) {
      component("spec.transformer", isvc.getSpec().getTransformer(), errors);
    }
    if (isvc.getSpec().getExplainer() != null) {
      component("spec.explainer", isvc.getSpec().getExplainer(), errors);
    }
  }

  /** The monitor settings, checked by the same rules the monitor applies (schemas). */
  private static void monitor(String monitorJson, List<String> errors) {
    for (String problem : MonitorSettings.problems(monitorJson)) {
      errors.add("metadata.annotations[" + MONITOR_ANNOTATION + "]: " + problem);
    }
  }

  private static void predictor(
      PredictorSpec predictor, Predicate<String> fetchedByContainer, List<String> errors) {
    component("spec.predictor", predictor, errors);
    if (predictor.getName() != null && !KSERVE_NAME.matcher(predictor.getName()).matches()) {
      errors.add(
          "spec.predictor.name: must match "
              + KSERVE_NAME.pattern()
              + ", got '"
              + predictor.getName()
              + "'");
    }
    Map<String, ModelSpec> declared = PredictorImplementations.declared(predictor);
    if (declared.size() > 1) {
      errors.add(
          "spec.predictor: exactly one model implementation is allowed, got "
              + String.join(", ", declared.keySet()));
    } else if (declared.isEmpty() && !PredictorImplementations.isCustomContainer(predictor)) {
      errors.add(
          "spec.predictor: exactly one of model, "
              + String.join(", ", KServe.FRAMEWORK_SHORTCUTS)
              + " or containers must be set, got none");
    }
    declared.forEach(
        (field, model) ->
            model("spec.predictor." + field, field, model, fetchedByContainer, errors));
  }

  private static void model(
      String path,
      String field,
      ModelSpec model,
      Predicate<String> fetchedByContainer,
      List<String> errors) {
    if ("model".equals(field)
        && (model.getModelFormat() == null
            || model.getModelFormat().getName() == null
            || model.getModelFormat().getName().isBlank())) {
      errors.add(path + ".modelFormat.name: required");
    }
    if (model.getStorageUri() != null && !fetchedByContainer.test(model.getStorageUri())) {
      StorageUris.validate(model.getStorageUri())
          .ifPresent(e -> errors.add(path + ".storageUri: " + e));
    }
    if (model.getProtocolVersion() != null && !PROTOCOLS.contains(model.getProtocolVersion())) {
      errors.add(
          path
              + ".protocolVersion: must be one of v1, v2, grpc-v1, grpc-v2, got '"
              + model.getProtocolVersion()
              + "'");
    }
  }

  static void component(String path, ComponentExtension c, List<String> errors) {
    Long canary = c.getCanaryTrafficPercent();
    if (canary != null && (canary < 0 || canary > 100)) {
      errors.add(path + ".canaryTrafficPercent: must be between 0 and 100, got " + canary);
    }
    Integer min = c.getMinReplicas();
    Integer max = c.getMaxReplicas();
    if (min != null && min < 0) {
      errors.add(path + ".minReplicas: must be >= 0, got " + min);
    }
    if (max != null && max < 0) {
      errors.add(path + ".maxReplicas: must be >= 0, got " + max);
    } else if (max != null && max != 0 && max < (min == null ? 1 : min)) {
      errors.add(
          path
              + ".maxReplicas: must be >= minReplicas ("
              + (min == null ? 1 : min)
              + ") unless 0, got "
              + max);
    }
    if (c.getContainerConcurrency() != null && c.getContainerConcurrency() < 0) {
      errors.add(path + ".containerConcurrency: must be >= 0, got " + c.getContainerConcurrency());
    }
    if (c.getTimeout() != null && c.getTimeout() <= 0) {
      errors.add(path + ".timeout: must be > 0 seconds, got " + c.getTimeout());
    }
    if (c.getLogger() != null
        && c.getLogger().getMode() != null
        && !LOGGER_MODES.contains(c.getLogger().getMode())) {
      errors.add(
          path
              + ".logger.mode: must be one of all, request, response, got '"
              + c.getLogger().getMode()
              + "'");
    }
    batcher(path + ".batcher", c.getBatcher(), errors);
  }

  private static void batcher(String path, Batcher batcher, List<String> errors) {
    if (batcher == null) {
      return;
    }
    if (batcher.getMaxBatchSize() != null && batcher.getMaxBatchSize() <= 0) {
      errors.add(path + ".maxBatchSize: must be > 0, got " + batcher.getMaxBatchSize());
    }
    if (batcher.getMaxLatency() != null && batcher.getMaxLatency() <= 0) {
      errors.add(path + ".maxLatency: must be > 0 ms, got " + batcher.getMaxLatency());
    }
  }

  static void runtime(ServingRuntimeSpec spec, List<String> errors) {
    if (spec == null) {
      errors.add("spec: required");
      return;
    }
    List<SupportedModelFormat> formats = spec.getSupportedModelFormats();
    for (int i = 0; formats != null && i < formats.size(); i++) {
      SupportedModelFormat format = formats.get(i);
      String path = "spec.supportedModelFormats[" + i + "]";
      if (format.getName() == null || format.getName().isBlank()) {
        errors.add(path + ".name: required");
      }
      if (format.getPriority() != null && format.getPriority() <= 0) {
        errors.add(path + ".priority: must be > 0, got " + format.getPriority());
      }
    }
    List<String> protocols = spec.getProtocolVersions();
    for (int i = 0; protocols != null && i < protocols.size(); i++) {
      if (!PROTOCOLS.contains(protocols.get(i))) {
        errors.add(
            "spec.protocolVersions["
                + i
                + "]: must be one of v1, v2, grpc-v1, grpc-v2, got '"
                + protocols.get(i)
                + "'");
      }
    }
  }

  private static void trainedModel(TrainedModel tm, KnownResources known, List<String> errors) {
    if (tm.getSpec() == null) {
      errors.add("spec: required");
      return;
    }
    String parent = tm.getSpec().getInferenceService();
    if (parent == null || parent.isBlank()) {
      errors.add("spec.inferenceService: required");
    } else if (!known.inferenceServiceExists(tm.getMetadata().getNamespace(), parent)) {
      errors.add(
          "spec.inferenceService: InferenceService '"
              + parent
              + "' does not exist in namespace "
              + tm.getMetadata().getNamespace());
    }
    if (tm.getSpec().getModel() == null) {
      errors.add("spec.model: required");
      return;
    }
    String uri = tm.getSpec().getModel().getStorageUri();
    if (uri == null) {
      errors.add("spec.model.storageUri: required");
    } else {
      StorageUris.validate(uri).ifPresent(e -> errors.add("spec.model.storageUri: " + e));
    }
    if (tm.getSpec().getModel().getFramework() == null) {
      errors.add("spec.model.framework: required");
    }
  }

  private static void localModelCache(
      LocalModelCache cache, Predicate<String> fetchedByContainer, List<String> errors) {
    if (cache.getSpec() == null || cache.getSpec().getSourceModelUri() == null) {
      errors.add("spec.sourceModelUri: required");
    }
    if (cache.getSpec() != null && cache.getSpec().getModelSize() == null) {
      errors.add("spec.modelSize: required");
    }
    if (cache.getSpec() != null
        && (cache.getSpec().getNodeGroups() == null || cache.getSpec().getNodeGroups().isEmpty())) {
      errors.add("spec.nodeGroups: at least one node group is required");
    }
    LocalModelValidation.cache(cache, fetchedByContainer, errors);
  }
}
