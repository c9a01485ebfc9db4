package dev.kaskade.schemas.runtime;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Downloads a storage URI into a folder. The model workers provide it (their storage fetchers:
 * every scheme, checksums, limits), found with {@link ServiceLoader} so that a command needing it
 * (the node agent) does not compile against the workers.
 */
public interface ModelFetcher {
  /** Downloads {@code storageUri} into the existing, empty folder {@code target}. */
  void fetch(String storageUri, Path target) throws Exception;

  /** The implementation on the class path. */
  static ModelFetcher load() {
    return ServiceLoader.load(ModelFetcher.class)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no ModelFetcher on the class path (kaskade-model-workers provides it)"));
  }
}
