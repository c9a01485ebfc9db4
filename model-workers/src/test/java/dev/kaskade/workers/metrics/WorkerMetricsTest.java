package dev.kaskade.workers.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WorkerMetrics metrics = new WorkerMetrics(registry);

  @Test
  void countsLikeTriton() {
    metrics.success("iris", "r1", 300, 50);
    metrics.success("iris", "r1", 100, 50);
    metrics.failure("iris", "r1", "INVALID_ARGUMENT");
    metrics.execution("iris", "r1", 2, 50);
    metrics.load("iris", "r1", Duration.ofMillis(20), true);

    assertThat(registry.get(WorkerMetrics.REQUEST_SUCCESS).tag("model", "iris").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(WorkerMetrics.REQUEST_FAILURE)
                .tag("reason", "INVALID_ARGUMENT")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(WorkerMetrics.QUEUE_DURATION_US).counter().count()).isEqualTo(400);
    assertThat(registry.get(WorkerMetrics.EXEC_COUNT).counter().count()).isEqualTo(1);
    assertThat(registry.get(WorkerMetrics.BATCH_SIZE).summary().max()).isEqualTo(2);
    assertThat(registry.get(WorkerMetrics.LOAD_DURATION).timer().count()).isEqualTo(1);
  }
}
