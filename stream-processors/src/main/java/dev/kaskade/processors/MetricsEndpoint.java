package dev.kaskade.processors;

import com.sun.net.httpserver.HttpServer;
import dev.kaskade.schemas.runtime.KaskadeContext;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /metrics} (Prometheus text) of the JVM's global Micrometer registry, for processes
 * without a gateway ({@code kaskade processors} in a cluster), so the drift and outlier meters can
 * be scraped there. Off unless {@value #PORT} is set (0 = any free port); in {@code kaskade up} the
 * gateway's {@code /metrics} shows the same meters.
 */
public final class MetricsEndpoint implements AutoCloseable {
  public static final String PORT = "processors.metrics.port";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpServer server;

  private MetricsEndpoint(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + PORT + " " + port, e);
    }
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("content-type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    Metrics.addRegistry(registry);
    server.start();
  }

  /** The endpoint when {@value #PORT} is set. */
  public static Optional<MetricsEndpoint> start(KaskadeContext ctx) {
    return ctx.settings().containsKey(PORT)
        ? Optional.of(new MetricsEndpoint(ctx.intSetting(PORT, 0)))
        : Optional.empty();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    Metrics.removeRegistry(registry);
    registry.close();
  }
}
