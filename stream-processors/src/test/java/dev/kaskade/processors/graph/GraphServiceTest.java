package dev.kaskade.processors.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.InferenceRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphServiceTest {
  private static InferenceRequest request(Long deadline) {
    return InferenceRequest.newBuilder()
        .setId("r")
        .setModel("g")
        .setInputs(List.of())
        .setDeadlineEpochMs(deadline)
        .build();
  }

  @Test
  void shouldUseTheEarlierOfTheCallersDeadlineAndTheGraphTimeout() {
    Duration timeout = Duration.ofSeconds(60);
    assertThat(GraphService.deadline(request(1_500L), timeout, 1_000L)).isEqualTo(1_500L);
    assertThat(GraphService.deadline(request(999_999L), timeout, 1_000L)).isEqualTo(61_000L);
    assertThat(GraphService.deadline(request(null), timeout, 1_000L)).isEqualTo(61_000L);
  }

  @Test
  void shouldBoundTheSpecCacheAndNotKeepInvalidSpecs() {
    SpecCache cache = new SpecCache(3);
    for (int i = 0; i < 10; i++) {
      cache.get(
          "{\"root\":{\"routerType\":\"Sequence\",\"steps\":[{\"serviceName\":\"s" + i + "\"}]}}");
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThatThrownBy(() -> cache.get("{\"root\":{\"steps\":[{\"nodeName\":\"root\"}]}}"))
        .hasMessageContaining("root -> root");
    assertThat(cache.size()).isEqualTo(3);
  }
}
