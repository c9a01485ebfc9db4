package dev.kaskade.helmtests;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kaskade.gateway.metrics.GatewayMetrics;
import dev.kaskade.gateway.openai.OpenAiMetrics;
import dev.kaskade.processors.StreamProcessorsComponent;
import dev.kaskade.processors.monitor.DriftMetrics;
import dev.kaskade.processors.monitor.MonitorLimits;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.runtime.MetricsEndpoint;
import dev.kaskade.schemas.testing.InMemorySchemaRegistry;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names Prometheus sees from the components the chart scrapes: the gateway's meters
 * (requests, Kafka round trip, in flight, late replies, generation) and the processors' (drift,
 * outliers, monitor), each recorded once through the components' own metric classes and read back
 * as Prometheus text, the processors' from their real {@code /metrics} endpoint.
 */
final class RegisteredMetrics {
  /**
   * Metrics the dashboard and rules may read that no Kaskade component registers: consumer lag from
   * a Kafka exporter (Strimzi's kafkaExporter, or danielqsj/kafka_exporter).
   */
  static final Set<String> EXTERNAL = Set.of("kafka_consumergroup_lag");

  private RegisteredMetrics() {}

  static Set<String> gatewayAndProcessors() throws IOException, InterruptedException {
    Set<String> names = new TreeSet<>(names(gatewayScrape()));
    names.addAll(names(processorsScrape()));
    return names;
  }

  /** What the gateway's {@code /metrics} serves: the text of its Prometheus registry. */
  static String gatewayScrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    GatewayMetrics gateway = new GatewayMetrics(registry);
    gateway.inflightGauge(() -> 1);
    gateway.request("iris", "v2", 200, 2_000_000);
    gateway.request("iris", "v1", 503, 9_000_000);
    gateway.kafkaRoundTrip(1_000_000);
    gateway.lateReply();
    OpenAiMetrics openai = new OpenAiMetrics(registry);
    openai.timeToFirstToken("tiny", 50_000_000);
    openai.interToken("tiny", 10_000_000, 2);
    openai.queueTime("tiny", 1_000_000);
    openai.tokens("tiny", 12, 30);
    openai.cancelled("tiny", "client");
    return registry.scrape();
  }

  /** A GET of a real processors {@code /metrics} endpoint after each drift meter was recorded. */
  static String processorsScrape() throws IOException, InterruptedException {
    try (MetricsEndpoint endpoint =
        MetricsEndpoint.start(
                context(Map.of(StreamProcessorsComponent.METRICS_PORT, "0")),
                StreamProcessorsComponent.METRICS_PORT)
            .orElseThrow()) {
      DriftMetrics drift = new DriftMetrics(Metrics.globalRegistry);
      drift.record("default", "iris", "petal_length", 0.01, 0.4);
      drift.alert("default", "iris", "petal_length");
      drift.detected("default", "iris", true);
      drift.admitted(
          "default",
          "iris",
          new MonitorLimits.Admitted(
              List.of(List.of(JsonNodeFactory.instance.numberNode(1.0))), 1, 1, 1));
      drift.scored("default", "iris", true);
      URI uri = URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics");
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("processors /metrics answered " + response.statusCode());
      }
      return response.body();
    }
  }

  /** The sample names of a Prometheus text exposition. */
  static Set<String> names(String exposition) {
    Set<String> names = new TreeSet<>();
    exposition
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .forEach(names::add);
    return names;
  }

  private static KaskadeContext context(Map<String, String> settings) {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    return new KaskadeContext(
        "unused:9092",
        registry,
        Topics.withDefaultPrefix(),
        TopicSettings.standalone(),
        new TopicProvisioner(null, registry, (short) 1),
        Path.of(System.getProperty("java.io.tmpdir")),
        settings);
  }
}
