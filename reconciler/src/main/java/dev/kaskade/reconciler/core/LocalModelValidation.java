package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.LocalModelCache;
import dev.kaskade.reconciler.model.LocalModelInfo;
import dev.kaskade.reconciler.model.LocalModelNode;
import dev.kaskade.reconciler.model.LocalModelNodeGroup;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/** Field rules of the model-cache kinds (KServe's required fields, parseable quantities). */
final class LocalModelValidation {
  static final java.util.regex.Pattern MODEL_NAME =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private LocalModelValidation() {}

  /** {@code fetchedByContainer}: whether a download-job ClusterStorageContainer fetches a URI. */
  static void cache(
      LocalModelCache cache,
      java.util.function.Predicate<String> fetchedByContainer,
      List<String> errors) {
    if (cache.getSpec() == null) {
      return;
    }
    String uri = cache.getSpec().getSourceModelUri();
    if (uri != null && !fetchedByContainer.test(uri)) {
      StorageUris.validate(uri).ifPresent(e -> errors.add("spec.sourceModelUri: " + e));
    }
    quantity("spec.modelSize", cache.getSpec().getModelSize(), errors);
  }

  static void nodeGroup(LocalModelNodeGroup group, List<String> errors) {
    var spec = group.getSpec();
    if (spec == null) {
      errors.add("spec: required");
      return;
    }
    if (spec.getStorageLimit() == null) {
      errors.add("spec.storageLimit: required");
    } else {
      quantity("spec.storageLimit", spec.getStorageLimit(), errors);
    }
    if (spec.getPersistentVolumeSpec() == null) {
      errors.add(
          "spec.persistentVolumeSpec: required (the node-local volume models are cached on)");
    }
    if (spec.getPersistentVolumeClaimSpec() == null) {
      errors.add("spec.persistentVolumeClaimSpec: required");
    }
  }

  static void node(LocalModelNode node, List<String> errors) {
    if (node.getSpec() == null || node.getSpec().getLocalModels() == null) {
      return;
    }
    List<LocalModelInfo> models = node.getSpec().getLocalModels();
    for (int i = 0; i < models.size(); i++) {
      LocalModelInfo model = models.get(i);
      if (model.getSourceModelUri() == null || model.getSourceModelUri().isBlank()) {
        errors.add("spec.localModels[" + i + "].sourceModelUri: required");
      }
      if (model.getModelName() == null || model.getModelName().isBlank()) {
        errors.add("spec.localModels[" + i + "].modelName: required");
      } else if (!MODEL_NAME.matcher(model.getModelName()).matches()) {
        // the node agent makes a folder of it
        errors.add(
            "spec.localModels["
                + i
                + "].modelName: must be a DNS-1123 subdomain (a LocalModelCache name), got '"
                + model.getModelName()
                + "'");
      }
    }
  }

  private static void quantity(String field, Quantity quantity, List<String> errors) {
    if (quantity == null) {
      return;
    }
    try {
      if (Quantity.getAmountInBytes(quantity).signum() <= 0) {
        errors.add(field + ": must be positive, got " + quantity);
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      errors.add(field + ": not a quantity: " + quantity);
    }
  }
}
