package dev.kaskade.processors.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrafficBackgroundTest {

  @Test
  void shouldKeepFirstRowsUpToCapacityAndIgnoreOtherWidths() {
    TrafficBackground background = new TrafficBackground(3);
    assertThat(background.rows()).isNull();

    background.offer(new double[][] {{1, 2}, {3, 4}});
    background.offer(new double[][] {{9}});
    background.offer(new double[][] {{5, 6}, {7, 8}});

    assertThat(background.rows()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}, {5, 6}});
  }
}
