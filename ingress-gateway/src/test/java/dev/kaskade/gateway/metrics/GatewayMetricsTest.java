package dev.kaskade.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(registry);

  @Test
  void countsCallsPerModelProtocolAndStatus() {
    metrics.request("iris", "v2", 200, 1_000_000);
    metrics.request("iris", "v2", 200, 3_000_000);
    metrics.request("iris", "v2", 400, 2_000_000);
    metrics.request(null, "v1", 404, 1_000_000);

    Timer ok = timer("iris", "v2", "200");
    assertThat(ok.count()).isEqualTo(2);
    assertThat(ok.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4.0);
    assertThat(timer("iris", "v2", "400").count()).isOne();
    assertThat(timer("", "v1", "404").count()).isOne();
    assertThat(registry.find("kaskade.gateway.requests").timers()).hasSize(3);
  }

  private Timer timer(String model, String protocol, String status) {
    return registry
        .get("kaskade.gateway.requests")
        .tags("model", model, "protocol", protocol, "status", status)
        .timer();
  }
}
