package dev.kaskade.schemas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.testing.InMemorySchemaRegistry;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  private static final String PORT = "processors.metrics.port";

  private static KaskadeContext context(Map<String, String> settings) {
    SchemaRegistryClient registry = new InMemorySchemaRegistry();
    return new KaskadeContext(
        "unused:9092",
        registry,
        Topics.withDefaultPrefix(),
        TopicSettings.standalone(),
        new TopicProvisioner(null, registry, (short) 1),
        Path.of("/tmp"),
        settings);
  }

  static HttpResponse<String> scrape(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheGlobalRegistrysMetersWhenThePortIsSet() throws Exception {
    try (MetricsEndpoint endpoint =
        MetricsEndpoint.start(context(Map.of(PORT, "0")), PORT).orElseThrow()) {
      Metrics.counter("kaskade_drift_windows_total", "model", "iris", "drift", "true").increment();

      HttpResponse<String> scrape = scrape(endpoint.port());

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .contains("kaskade_drift_windows_total{drift=\"true\",model=\"iris\"}");
      assertThat(endpoint.endpoints()).singleElement().asString().endsWith("/metrics");
    }
  }

  @Test
  void isOffWhenItsPortSettingIsUnset() {
    assertThat(MetricsEndpoint.start(context(Map.of()), PORT)).isEmpty();
  }
}
