package dev.kaskade.reconciler.nodeagent;

import dev.kaskade.reconciler.model.LocalModelInfo;
import dev.kaskade.reconciler.model.LocalModelNode;
import dev.kaskade.reconciler.model.LocalModelNodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KServe's per-node model agent: watches this node's LocalModelNode, downloads each model of {@code
 * spec.localModels} into {@code <root>/models/<modelName>} (the node group's volume, the path an
 * InferenceService mounts), deletes model folders no longer listed, and writes {@code
 * status.modelStatus} with KServe's states. A download goes to a staging folder and is renamed into
 * place, so a model folder is either complete or absent; a folder present at start counts as
 * downloaded (the agent restarted).
 */
public final class LocalModelNodeAgent implements AutoCloseable {
  public static final String PENDING = "ModelDownloadPending";
  public static final String DOWNLOADING = "ModelDownloading";
  public static final String DOWNLOADED = "ModelDownloaded";
  public static final String ERROR = "ModelDownloadError";

  /** Model names the agent makes folders of (DNS-1123 subdomain, as Kubernetes names). */
  static final java.util.regex.Pattern SAFE_NAME =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  /** Models live here under the root, as the reconciler's sub-path {@code models/<cache>}. */
  static final String MODELS = "models";

  /** Status rewritten and model folders checked (re-downloaded if gone) this often. */
  static final java.time.Duration RESYNC = java.time.Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(LocalModelNodeAgent.class);

  /** Downloads {@code uri} into the empty folder {@code target} (the storage fetchers). */
  @FunctionalInterface
  public interface Fetcher {
    void fetch(String uri, Path target) throws Exception;
  }

  private final KubernetesClient client;
  private final String node;
  private final Path models;
  private final Fetcher fetcher;
  private final ExecutorService downloads = Executors.newVirtualThreadPerTaskExecutor();

  /** Model name → state; a model is started at most once per source URI. */
  private final Map<String, String> states = new ConcurrentHashMap<>();

  private final Map<String, String> sources = new ConcurrentHashMap<>();
  private SharedIndexInformer<LocalModelNode> informer;

  public LocalModelNodeAgent(KubernetesClient client, String node, Path root, Fetcher fetcher) {
    this.client = client;
    this.node = node;
    this.models = root.resolve(MODELS);
    this.fetcher = fetcher;
  }

  /** Watches this node's LocalModelNode. */
  public LocalModelNodeAgent start() {
    informer =
        client
            .resources(LocalModelNode.class)
            .withName(node)
            .inform(
                new ResourceEventHandler<LocalModelNode>() {
                  @Override
                  public void onAdd(LocalModelNode obj) {
                    reconcile(obj);
                  }

                  @Override
                  public void onUpdate(LocalModelNode before, LocalModelNode after) {
                    reconcile(after);
                  }

                  @Override
                  public void onDelete(LocalModelNode obj, boolean unknown) {}
                },
                RESYNC.toMillis());
    return this;
  }

  /** Starts missing downloads, deletes unlisted models, writes the status. */
  public synchronized void reconcile(LocalModelNode lmn) {
    List<LocalModelInfo> wanted =
        lmn.getSpec() == null || lmn.getSpec().getLocalModels() == null
            ? List.of()
            : lmn.getSpec().getLocalModels();
    Set<String> names =
        wanted.stream()
            .map(LocalModelInfo::getModelName)
            .filter(java.util.Objects::nonNull)
            .collect(Collectors.toSet());
    removeUnlisted(names);
    for (LocalModelInfo model : wanted) {
      String name = model.getModelName();
      String uri = model.getSourceModelUri();
      if (uri == null || name == null || !SAFE_NAME.matcher(name).matches()) {
        // a folder name from the API must not leave the models folder ("../x")
        LOG.warn(
            "node {}: model entry {} ignored: needs a DNS-1123 modelName and a URI", node, name);
        continue;
      }
      Path target = models.resolve(name);
      boolean vanished = DOWNLOADED.equals(states.get(name)) && !Files.isDirectory(target);
      if (uri.equals(sources.get(name)) && !vanished) {
        continue; // started or done for this source
      }
      sources.put(name, uri);
      if (Files.isDirectory(target) && !states.containsKey(name)) {
        states.put(name, DOWNLOADED); // already on the node (the agent restarted)
        continue;
      }
      states.put(name, PENDING);
      downloads.submit(() -> download(name, uri, target));
    }
    writeStatus();
  }

  private void download(String name, String uri, Path target) {
    states.put(name, DOWNLOADING);
    writeStatus();
    try {
      Files.createDirectories(models);
      Path staging = Files.createTempDirectory(models, "." + name + "-");
      try {
        fetcher.fetch(uri, staging);
        deleteTree(target);
        Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        deleteTree(staging);
      }
      if (sources.get(name) == null) {
        deleteTree(target); // unlisted while downloading
      } else if (uri.equals(sources.get(name))) {
        states.put(name, DOWNLOADED);
      }
      LOG.info("node {}: model {} downloaded from {}", node, name, uri);
    } catch (Exception e) {
      LOG.warn("node {}: model {} from {} failed: {}", node, name, uri, e.getMessage());
      states.put(name, ERROR);
    }
    writeStatus();
  }

  private void removeUnlisted(Set<String> names) {
    for (String name : List.copyOf(states.keySet())) {
      if (!names.contains(name)) {
        states.remove(name);
        sources.remove(name);
      }
    }
    if (!Files.isDirectory(models)) {
      return;
    }
    try (Stream<Path> children = Files.list(models)) {
      for (Path child : children.toList()) {
        String file = child.getFileName().toString();
        if (!file.startsWith(".") && !names.contains(file)) {
          deleteTree(child);
          LOG.info("node {}: model {} no longer listed, deleted", node, file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code status.modelStatus} from the states, on the status subresource. A failed write is
   * logged; the next event or the periodic resync writes again.
   */
  private synchronized void writeStatus() {
    try {
      updateStatus();
    } catch (KubernetesClientException e) {
      LOG.warn("node {}: cannot write LocalModelNode status: {}", node, e.getMessage());
    }
  }

  private void updateStatus() {
    LocalModelNode fresh = client.resources(LocalModelNode.class).withName(node).get();
    if (fresh == null) {
      return;
    }
    Map<String, String> modelStatus = new LinkedHashMap<>();
    states.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> modelStatus.put(e.getKey(), e.getValue()));
    LocalModelNodeStatus status =
        fresh.getStatus() == null ? new LocalModelNodeStatus() : fresh.getStatus();
    if (modelStatus.equals(status.getModelStatus())) {
      return;
    }
    status.setModelStatus(modelStatus);
    fresh.setStatus(status);
    client.resources(LocalModelNode.class).resource(fresh).updateStatus();
  }

  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    downloads.shutdownNow();
  }
}
