package dev.kaskade.workers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchWindowTest {
  @Test
  void isDueWhenFullOrWhenTheOldestWaitedMaxLatency() {
    BatchWindow<String> window = new BatchWindow<>(new BatchPolicy(3, 50));
    window.add("a", 1, 1000);
    assertThat(window.due(1010)).isFalse();
    assertThat(window.waitMs(1010, 100)).isEqualTo(40);
    assertThat(window.due(1050)).isTrue();
    window.add("b", 2, 1011);
    assertThat(window.due(1012)).isTrue();
    assertThat(window.drain()).containsExactly("a", "b");
    assertThat(window.isEmpty()).isTrue();
    assertThat(window.waitMs(2000, 100)).isEqualTo(100);
  }

  @Test
  void perPollPolicyIsDueAsSoonAsAnythingArrived() {
    BatchWindow<String> window = new BatchWindow<>(BatchPolicy.perPoll());
    assertThat(window.due(0)).isFalse();
    window.add("a", 1, 5);
    assertThat(window.due(5)).isTrue();
  }

  @Test
  void removesItemsOfRevokedPartitions() {
    BatchWindow<String> window = new BatchWindow<>(new BatchPolicy(10, 1000));
    window.add("p0", 1, 0);
    window.add("p1", 1, 0);
    window.removeIf(s -> s.equals("p0"));
    assertThat(window.drain()).containsExactly("p1");
  }
}
