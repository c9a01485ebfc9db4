package dev.kaskade.workers.backend.bridge;

import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.generation.Generators;
import dev.kaskade.workers.generation.upstream.GenerativeUpstreams;
import dev.kaskade.workers.generation.upstream.OpenAiUpstreamFactory;
import dev.kaskade.workers.worker.ModelLoad;
import dev.kaskade.workers.worker.ModelLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
    String url = load.parameters().getOrDefault(Upstream.URL, defaultUrl);
    if (url != null
        && !url.isBlank()
        && GenerativeUpstreams.isGenerative(
            load.format(), load.parameters(), load.protocolVersion())) {
      return openGenerative(load, url);
    }
    Optional<Upstream> upstream =
        Upstream.of(load.name(), load.parameters(), load.protocolVersion(), defaultUrl);
    return upstream.isPresent() ? BridgeBackend.load(upstream.get()) : backends.load(load);
  }

  /** An OpenAI-compatible upstream (vLLM, llama-server, …): no local files, generation SPI. */
  private static LoadedModel openGenerative(ModelLoad load, String url) throws ModelLoadException {
    Map<String, String> parameters = new HashMap<>(load.parameters());
    parameters.put(Upstream.URL, url);
    if (load.protocolVersion() != null) {
      parameters.put(OpenAiUpstreamFactory.PROTOCOL, load.protocolVersion());
    }
    ModelSource source =
        new ModelSource(
            load.name(),
            load.revision(),
            Path.of("."),
            load.format() == null ? "" : load.format(),
            parameters);
    return Generators.load()
        .open(source)
        .orElseThrow(() -> new ModelLoadException("no generator serves the upstream " + url));
  }
}
