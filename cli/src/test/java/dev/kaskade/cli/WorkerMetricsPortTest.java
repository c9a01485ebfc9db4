package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.runtime.MetricsEndpoint;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.metrics.WorkerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kaskade worker} serves its {@code nv_inference_*} meters on {@code --metrics-port}. */
class WorkerMetricsPortTest {
  @TempDir Path dataDir;

  private List<KaskadeComponent> workerComponents(String... args) {
    ClusterCommands.Worker worker = new ClusterCommands.Worker();
    new CommandLine(worker).parseArgs(args);
    HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient("http://127.0.0.1:1");
    return worker.components(
        new KaskadeContext(
            "unused:9092",
            registry,
            Topics.withDefaultPrefix(),
            TopicSettings.standalone(),
            new TopicProvisioner(null, registry, (short) 1),
            dataDir,
            Map.of()));
  }

  @Test
  void theWorkerProcessAnswersMetricsWithItsTritonStyleMeters() throws Exception {
    List<KaskadeComponent> components = workerComponents("--metrics-port", "0");
    assertThat(components)
        .extracting(KaskadeComponent::name)
        .containsExactly("model-workers", "metrics");
    try (WorkerComponent worker = (WorkerComponent) components.get(0);
        MetricsEndpoint endpoint = (MetricsEndpoint) components.get(1)) {
      endpoint.start();
      new WorkerMetrics(worker.meterRegistry()).success("iris", "iris-predictor-1", 120, 30);

      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("content-type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(scrape.body())
          .contains(
              "nv_inference_request_success_total{model=\"iris\",version=\"iris-predictor-1\"} 1")
          .contains("nv_inference_queue_duration_us_total{model=\"iris\"");
    }
  }

  @Test
  void theMetricsPortDefaultsTo9465AndMinusOneTurnsItOff() {
    ClusterCommands.Worker worker = new ClusterCommands.Worker();
    new CommandLine(worker).parseArgs();
    assertThat(worker.metricsPort).isEqualTo(9465);

    assertThat(workerComponents("--metrics-port", "-1"))
        .extracting(KaskadeComponent::name)
        .containsExactly("model-workers");
  }
}
