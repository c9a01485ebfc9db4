package dev.kaskade.processors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.runtime.KaskadeContext;
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

  @Test
  void servesTheGlobalRegistrysMetersWhenThePortIsSet() throws Exception {
    try (MetricsEndpoint endpoint =
        MetricsEndpoint.start(context(Map.of(MetricsEndpoint.PORT, "0"))).orElseThrow()) {
      Metrics.counter("kaskade_drift_windows_total", "model", "iris", "drift", "true").increment();

      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .contains("kaskade_drift_windows_total{drift=\"true\",model=\"iris\"}");
    }
  }

  @Test
  void isOffByDefault() {
    assertThat(MetricsEndpoint.start(context(Map.of()))).isEmpty();
  }
}
