package dev.kaskade.processors.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrafficBackgroundTest {

  @Test
  void shouldKeepFirstRowsUpToCapacityAndIgnoreOtherWidths() {
    TrafficBackground background = new TrafficBackground(3);
    assertThat(background.rows()).isNull();

    background.offer(new double[][] {{1, 2}, {3, 4}}, 10);
    background.offer(new double[][] {{9}}, 10);
    background.offer(new double[][] {{5, 6}, {7, 8}}, 10);

    assertThat(background.rows()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}, {5, 6}});
  }

  @Test
  void oneRequestAddsAtMostItsShareOfRows() {
    TrafficBackground background = new TrafficBackground(100);

    background.offer(new double[][] {{1}, {2}, {3}, {4}}, 2);
    background.offer(new double[][] {{5}, {6}}, 2);

    assertThat(background.rows()).isDeepEqualTo(new double[][] {{1}, {2}, {5}, {6}});
  }
}
