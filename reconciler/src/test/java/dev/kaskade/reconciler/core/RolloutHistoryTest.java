package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RolloutHistoryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static InferenceServiceSpec spec(String latest, String previous, Integer percent) {
    return InferenceServiceSpec.newBuilder()
        .setPredictor(PredictorSpec.newBuilder().setRevision(latest).build())
        .setPreviousPredictor(
            previous == null ? null : PredictorSpec.newBuilder().setRevision(previous).build())
        .setCanaryTrafficPercent(percent)
        .build();
  }

  @Test
  void eachMoveIsRecordedWithItsTimeAndAnUnchangedSplitAddsNothing() {
    String h = RolloutHistory.append(null, RolloutHistory.entry(spec("r1", null, null), T0));
    h = RolloutHistory.append(h, RolloutHistory.entry(spec("r2", "r1", 20), T0.plusSeconds(60)));
    String again =
        RolloutHistory.append(h, RolloutHistory.entry(spec("r2", "r1", 20), T0.plusSeconds(90)));
    assertThat(again).isEqualTo(h);
    h = RolloutHistory.append(h, RolloutHistory.entry(spec("r2", "r1", 0), T0.plusSeconds(120)));
    assertThat(RolloutHistory.read(h))
        .containsExactly(
            new RolloutHistory.Entry("2026-01-01T00:00:00Z", "r1", 100, null, null, "Promoted"),
            new RolloutHistory.Entry(
                "2026-01-01T00:01:00Z", "r2", 20, "r1", 80, "CanaryTrafficMoved"),
            new RolloutHistory.Entry("2026-01-01T00:02:00Z", "r2", 0, "r1", 100, "RolledBack"));
  }

  @Test
  void keepsTheNewestEntriesOnly() {
    String h = null;
    for (int i = 0; i < RolloutHistory.MAX + 5; i++) {
      h = RolloutHistory.append(h, RolloutHistory.entry(spec("r" + i, null, null), T0));
    }
    assertThat(RolloutHistory.read(h)).hasSize(RolloutHistory.MAX);
    assertThat(RolloutHistory.read(h).get(0).latestRevision()).isEqualTo("r5");
  }
}
