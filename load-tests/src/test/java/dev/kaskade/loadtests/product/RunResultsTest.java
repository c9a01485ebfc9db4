package dev.kaskade.loadtests.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.loadtests.harness.LatencyRecorder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunResultsTest {
  @Test
  void stepsAndMetricsSurviveTheirTextForm() {
    StepResult step =
        new StepResult("kaskade", "grpc", "open", 1000, 1.25, 2.5, 7.75, 12, 999.5, 9995, 2);
    RunResults back =
        RunResults.parse(
            List.of(step.toLine(), RunResults.metricLine(RunResults.READY_MS, 8123.5), ""));
    assertThat(back.steps()).containsExactly(step);
    assertThat(back.metric(RunResults.READY_MS)).contains(8123.5);
    assertThat(back.step("kaskade", "grpc", "open", 1000)).contains(step);
    assertThat(back.step("kaskade", "grpc", "open", 100)).isEmpty();
  }

  @Test
  void percentilesAndRateComeFromTheRecorder() {
    LatencyRecorder latency = new LatencyRecorder();
    for (int ms = 1; ms <= 100; ms++) {
      latency.record(ms * 1_000_000L);
    }
    latency.error();
    StepResult step = StepResult.of("floor", "kafka", "open", 10, latency, 10);
    assertThat(step.p50()).isCloseTo(50, org.assertj.core.data.Offset.offset(0.1));
    assertThat(step.p99()).isCloseTo(99, org.assertj.core.data.Offset.offset(0.1));
    assertThat(step.max()).isCloseTo(100, org.assertj.core.data.Offset.offset(0.1));
    assertThat(step.perSecond()).isEqualTo(10.0); // 100 answers in 10 s
    assertThat(step.errors()).isEqualTo(1);
  }

  @Test
  void aForeignLineIsRejected() {
    assertThatThrownBy(() -> RunResults.parse(List.of("hello")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hello");
  }
}
