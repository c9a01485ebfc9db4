package dev.kaskade.workers.cache;

import dev.kaskade.schemas.runtime.ModelFetcher;
import dev.kaskade.workers.storage.StorageInitializer;
import dev.kaskade.workers.storage.StoragePolicy;
import dev.kaskade.workers.storage.StorageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The node agent's download: the storage initializer (every scheme, checksums, limits, retries)
 * into a private cache beside the target, then the model copied into the target folder — a single
 * file keeps its name inside the folder, a directory's content becomes the folder's — and the
 * private cache removed, so the node keeps one copy. Local sources (file://, pvc://, paths) are
 * copied, never moved.
 */
public final class NodeModelFetcher implements ModelFetcher {
  private final Function<Path, StorageSettings> settings;

  /** With the process environment's storage settings and the default policy (ServiceLoader). */
  public NodeModelFetcher() {
    this(cache -> StorageSettings.defaults(cache).withPolicy(StoragePolicy.DEFAULT));
  }

  /** {@code settings}: the storage settings for a download's private cache folder. */
  public NodeModelFetcher(Function<Path, StorageSettings> settings) {
    this.settings = settings;
  }

  /** Downloads {@code uri} into the empty folder {@code target}. */
  @Override
  public void fetch(String uri, Path target) throws Exception {
    Path cache = Files.createTempDirectory(target.getParent(), ".download-");
    try {
      Path resolved = StorageInitializer.resolve(uri, settings.apply(cache), Map.of());
      if (Files.isDirectory(resolved)) {
        copyTree(resolved, target);
      } else {
        Files.copy(
            resolved,
            target.resolve(resolved.getFileName().toString()),
            StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      deleteTree(cache);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path dest = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(source, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
