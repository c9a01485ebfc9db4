package dev.kaskade.workers.worker;

import dev.kaskade.workers.storage.StorageInitializer;
import dev.kaskade.workers.storage.StoragePolicy;
import dev.kaskade.workers.storage.StorageSettings;
import java.nio.file.Path;
import java.util.Map;

/** Turns a storage URI into a local file or directory (the storage initializer's job). */
@FunctionalInterface
public interface StorageResolver {
  Path resolve(String storageUri, Map<String, String> annotations) throws Exception;

  /** The storage initializer (file, pvc, http(s), s3), caching downloads under {@code dir}. */
  static StorageResolver initializer(Path dir) {
    return initializer(dir, StoragePolicy.DEFAULT);
  }

  /** The same within the operator's limits and host lists ({@link StoragePolicy}). */
  static StorageResolver initializer(Path dir, StoragePolicy policy) {
    StorageSettings settings = StorageSettings.defaults(dir).withPolicy(policy);
    return (uri, annotations) -> StorageInitializer.resolve(uri, settings, annotations);
  }

  /**
   * Setting: {@code uri=path} pairs (comma-separated) of models already on local storage — in a
   * cluster the reconciler sets it when a LocalModelCache holds the InferenceService's model on the
   * node's volume, mounted at the path.
   */
  String LOCAL_MODELS = "worker.local-models";

  /** {@code delegate}, except that URIs listed in {@code localModels} resolve to their path. */
  static StorageResolver withLocalCopies(StorageResolver delegate, String localModels) {
    Map<String, Path> copies = new java.util.HashMap<>();
    for (String pair : localModels == null ? new String[0] : localModels.split(",")) {
      int eq = pair.lastIndexOf('=');
      if (eq > 0) {
        copies.put(pair.substring(0, eq).trim(), Path.of(pair.substring(eq + 1).trim()));
      }
    }
    if (copies.isEmpty()) {
      return delegate;
    }
    return (uri, annotations) -> {
      Path local = uri == null ? null : copies.get(uri.trim());
      return local != null && java.nio.file.Files.exists(local)
          ? local
          : delegate.resolve(uri, annotations);
    };
  }
}
