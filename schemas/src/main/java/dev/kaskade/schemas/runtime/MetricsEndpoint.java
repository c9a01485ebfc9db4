package dev.kaskade.schemas.runtime;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /metrics} (Prometheus text) of the JVM's global Micrometer registry, for processes
 * without a gateway ({@code kaskade processors} and {@code kaskade worker} in a cluster), so their
 * meters can be scraped there. Each process turns it on with its own port setting (0 = any free
 * port); in {@code kaskade up} the gateway's {@code /metrics} shows the same meters.
 */
public final class MetricsEndpoint implements KaskadeComponent {
  private final String portKey;
  private final int requestedPort;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpServer server;

  /** Not yet listening: {@link #start()} binds {@code port} (named by {@code portKey}). */
  public MetricsEndpoint(String portKey, int port) {
    this.portKey = portKey;
    this.requestedPort = port;
  }

  /** The endpoint, listening, when the setting {@code portKey} is set; empty otherwise. */
  public static Optional<MetricsEndpoint> start(KaskadeContext ctx, String portKey) {
    if (!ctx.settings().containsKey(portKey)) {
      return Optional.empty();
    }
    MetricsEndpoint endpoint = new MetricsEndpoint(portKey, ctx.intSetting(portKey, 0));
    endpoint.start();
    return Optional.of(endpoint);
  }

  @Override
  public String name() {
    return "metrics";
  }

  @Override
  public void start() {
    try {
      server = HttpServer.create(new InetSocketAddress(requestedPort), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + portKey + " " + requestedPort, e);
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

  @Override
  public List<String> endpoints() {
    return List.of("Metrics          http://localhost:" + port() + "/metrics");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    Metrics.removeRegistry(registry);
    registry.close();
  }
}
