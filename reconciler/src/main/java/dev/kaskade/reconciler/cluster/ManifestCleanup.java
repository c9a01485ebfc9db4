package dev.kaskade.reconciler.cluster;

import java.util.Map;

/** Drops what the API server adds to an object, so control events carry the user's manifest. */
final class ManifestCleanup {
  private ManifestCleanup() {}

  @SuppressWarnings("unchecked")
  static void removeServerFields(Map<String, Object> manifest) {
    if (manifest.get("metadata") instanceof Map<?, ?> metadata) {
      Map<String, Object> meta = (Map<String, Object>) metadata;
      meta.remove("managedFields");
      meta.remove("resourceVersion");
      if (meta.get("annotations") instanceof Map<?, ?> annotations) {
        ((Map<String, Object>) annotations)
            .remove("kubectl.kubernetes.io/last-applied-configuration");
      }
    }
  }
}
