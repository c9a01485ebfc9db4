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
}
