package dev.kaskade.workers.generation.upstream;

import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.bridge.SharedVertx;
import dev.kaskade.workers.backend.bridge.Upstream;
import dev.kaskade.workers.generation.GeneratorFactory;
import dev.kaskade.workers.generation.TextGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a generative model through an OpenAI-compatible server: any model whose predictor has the
 * runtime bridge's upstream URL (annotation {@code kaskade.dev/upstream-url}), whatever its format.
 * Opening does not wait for the server: {@link TextGenerator#ready()} follows its health.
 */
public final class OpenAiUpstreamFactory implements GeneratorFactory {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiUpstreamFactory.class);
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  @Override
  public String name() {
    return "openai-upstream";
  }

  /** The predictor's protocolVersion, when the worker passes it on as a parameter. */
  public static final String PROTOCOL = "protocol-version";

  @Override
  public boolean accepts(ModelSource source) {
    String url = source.parameters().get(Upstream.URL);
    return url != null
        && !url.isBlank()
        && GenerativeUpstreams.isGenerative(
            source.format(), source.parameters(), source.parameters().get(PROTOCOL));
  }

  @Override
  public TextGenerator open(ModelSource source) throws ModelLoadException {
    UpstreamSettings settings = UpstreamSettings.of(source.parameters(), System::getenv);
    Vertx vertx = SharedVertx.acquire();
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setKeepAlive(true)
                .setDecompressionSupported(false),
            // one connection per stream (HTTP/1.1), health checks included
            new PoolOptions().setHttp1MaxSize(settings.parallel() + 1).setMaxWaitQueueSize(-1));
    HealthPoller health = new HealthPoller(vertx, client, settings);
    LOG.info(
        "generative model {} served by OpenAI-compatible upstream {}", source.name(), settings);
    return new OpenAiUpstreamGenerator(settings, client, health, SharedVertx::release);
  }
}
