package dev.kaskade.workers.backend.bridge;

import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.worker.ModelLoad;
import dev.kaskade.workers.worker.ModelLoader;
import java.util.Optional;

/**
 * Loads a model through the runtime bridge when it has an upstream — the predictor parameter
 * {@value Upstream#URL} (annotation {@code kaskade.dev/upstream-url}) or this worker's {@code
 * worker.upstream.url} (a cluster sidecar) — and through the in-process backends otherwise.
 */
public final class BridgeLoader implements ModelLoader {
  private final ModelLoader backends;
  private final String defaultUrl;

  /**
   * @param backends the loader for models without an upstream
   * @param defaultUrl the upstream of every model this worker serves, or null
   */
  public BridgeLoader(ModelLoader backends, String defaultUrl) {
    this.backends = backends;
    this.defaultUrl = defaultUrl;
  }

  @Override
  public LoadedModel load(ModelLoad load) throws ModelLoadException {
    Optional<Upstream> upstream =
        Upstream.of(load.name(), load.parameters(), load.protocolVersion(), defaultUrl);
    return upstream.isPresent() ? BridgeBackend.load(upstream.get()) : backends.load(load);
  }
}
