package dev.kaskade.workers.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final TopicPartition p0 = new TopicPartition("t", 0);
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void commitsOnlyUpToTheLowestUnansweredOffset() {
    tracker.received(p0, 10);
    tracker.received(p0, 11);
    tracker.received(p0, 12);
    tracker.answered(p0, 10);
    tracker.answered(p0, 12);
    assertThat(tracker.committable().get(p0).offset()).isEqualTo(11);

    tracker.answered(p0, 11);
    assertThat(tracker.committable().get(p0).offset()).isEqualTo(13);
    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void forgetsRevokedPartitions() {
    tracker.received(p0, 1);
    tracker.forget(p0);
    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.pendingCount()).isZero();
  }
}
