package dev.kaskade.workers.worker;

import java.nio.file.Path;
import java.util.Map;

/** Turns a storage URI into a local file or directory (the storage initializer's job). */
@FunctionalInterface
public interface StorageResolver {
  Path resolve(String storageUri, Map<String, String> annotations) throws Exception;

  /** Local paths and {@code file://} URIs only. */
  static StorageResolver localFiles() {
    return (uri, annotations) -> {
      Path path = uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : Path.of(uri);
      if (!java.nio.file.Files.exists(path)) {
        throw new java.io.FileNotFoundException("model not found at " + uri);
      }
      return path;
    };
  }
}
