package dev.kaskade.workers.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.workers.worker.StorageResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone node of KServe's model cache: downloads the {@code sourceModelUri} of every
 * LocalModelCache once, through the same storage initializer and cache directory the worker loads
 * models with, so an InferenceService whose {@code storageUri} equals it finds the copy and does
 * not download again. Reports each cache on this node as Loading, Ready (with size and path) or
 * FailedToLoad (component {@code cache}, revision = node name).
 */
public final class LocalModelCacheAgent {
  /** Node name in the reports; standalone, the data dir is the one node. */
  public static final String NODE_SETTING = "worker.node.name";

  public static final String DEFAULT_NODE = "local";

  private static final Logger LOG = LoggerFactory.getLogger(LocalModelCacheAgent.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where reports go (the worker's status publisher). */
  public interface Reporter {
    void report(String name, ModelState state, String reason, String message, String metaJson);
  }

  private final StorageResolver resolver;
  private final Reporter reporter;

  /** Cache name → the source URI (and generation) last started, so unchanged caches are left. */
  private final Map<String, String> started = new HashMap<>();

  public LocalModelCacheAgent(StorageResolver resolver, Reporter reporter) {
    this.resolver = resolver;
    this.reporter = reporter;
  }

  /** Starts a download for every cache that is new or whose source changed. */
  public synchronized void reconcile(Map<String, ResourceEvent> caches) {
    started.keySet().retainAll(caches.keySet());
    caches.forEach(
        (name, event) -> {
          String uri = sourceModelUri(event);
          String identity = uri + "#" + event.getAnnotations();
          if (uri == null || identity.equals(started.get(name))) {
            return;
          }
          started.put(name, identity);
          Map<String, String> annotations = Map.copyOf(event.getAnnotations());
          Thread.ofVirtual()
              .name("kaskade-cache-" + name)
              .start(() -> fetch(name, uri, annotations));
        });
  }

  private void fetch(String name, String uri, Map<String, String> annotations) {
    reporter.report(name, ModelState.Loading, "NodeDownloading", "downloading " + uri, null);
    long start = System.nanoTime();
    try {
      Path path = resolver.resolve(uri, annotations);
      long size = sizeOf(path);
      long millis = (System.nanoTime() - start) / 1_000_000;
      String meta = JSON.writeValueAsString(Map.of("sizeBytes", size, "path", path.toString()));
      reporter.report(
          name, ModelState.Ready, "NodeDownloaded", size + " bytes in " + millis + " ms", meta);
      LOG.info("local model cache {}: {} ({} bytes) at {}", name, uri, size, path);
    } catch (Exception e) {
      LOG.warn("local model cache {}: cannot fetch {}: {}", name, uri, e.getMessage());
      reporter.report(name, ModelState.FailedToLoad, "NodeDownloadError", e.getMessage(), null);
    }
  }

  static String sourceModelUri(ResourceEvent event) {
    try {
      JsonNode uri = JSON.readTree(event.getManifestJson()).path("spec").path("sourceModelUri");
      return uri.isTextual() ? uri.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Bytes of a file, or of every file under a directory. */
  static long sizeOf(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return Files.size(path);
    }
    try (Stream<Path> files = Files.walk(path)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
