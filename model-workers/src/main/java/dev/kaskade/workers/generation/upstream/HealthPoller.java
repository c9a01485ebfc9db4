package dev.kaskade.workers.generation.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Polls an OpenAI-compatible server's readiness on the event loop and keeps the last answer, so
 * {@link #ready()} never blocks: {@code GET /health} (vLLM, llama.cpp's server, TGI: 200 once the
 * model is loaded), and {@code GET /v1/models} for servers without it (OpenAI itself, 404 on
 * /health).
 */
final class HealthPoller implements AutoCloseable {
  private final Vertx vertx;
  private final HttpClient client;
  private final UpstreamSettings settings;
  private final long timer;
  private volatile boolean ready;
  private volatile boolean closed;

  HealthPoller(Vertx vertx, HttpClient client, UpstreamSettings settings) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    long interval = settings.healthInterval().toMillis();
    this.timer = vertx.setPeriodic(0, interval, id -> poll());
  }

  boolean ready() {
    return ready;
  }

  private void poll() {
    if (closed) {
      return;
    }
    get("/health")
        .onComplete(
            health -> {
              int status = health.succeeded() ? health.result() : -1;
              if (status == 404 || status == 405) {
                get("/v1/models").onComplete(m -> ready = m.succeeded() && m.result() / 100 == 2);
              } else {
                ready = status / 100 == 2;
              }
            });
  }

  private io.vertx.core.Future<Integer> get(String path) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(settings.base() + path)
            .setTimeout(Math.max(500, settings.healthInterval().toMillis()));
    if (settings.apiKey() != null) {
      options.putHeader("Authorization", "Bearer " + settings.apiKey());
    }
    return client
        .request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode()));
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(timer);
  }
}
