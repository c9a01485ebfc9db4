package dev.kaskade.loadtests.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StagesTest {
  @Test
  void foldsPerInstancePartsOfTopicNames() {
    assertThat(Stages.fold("kaskade.gateway.gw-3f8d8ba5.replies"))
        .isEqualTo("kaskade.gateway.*.replies");
    assertThat(Stages.fold("kaskade.default.iris.predictor.iris-predictor-7d1b642a"))
        .isEqualTo("kaskade.default.iris.predictor.iris-predictor-*");
    assertThat(Stages.fold("kaskade.default.iris.responses"))
        .isEqualTo("kaskade.default.iris.responses");
  }

  @Test
  void ordersStagesByMedianOffsetFromEachCallsOwnSend() {
    List<Stages.Sample> samples =
        List.of(new Stages.Sample("a", 1_000, 9.5), new Stages.Sample("b", 2_000, 12.5));
    List<Stages.Seen> records =
        List.of(
            new Stages.Seen("kaskade.gateway.gw-1.replies", "a", 1_009),
            new Stages.Seen("kaskade.default.iris.predictor.iris-predictor-0000aaaa", "a", 1_003),
            new Stages.Seen("kaskade.gateway.gw-2.replies", "b", 2_011),
            new Stages.Seen("kaskade.default.iris.predictor.iris-predictor-0000bbbb", "b", 2_004),
            new Stages.Seen("kaskade.default.iris.predictor.iris-predictor-0000bbbb", "b", 2_007),
            new Stages.Seen("kaskade.default.iris.responses", "b", 1_500), // before its send
            new Stages.Seen("kaskade.default.other.responses", "c", 2_001)); // not sampled

    List<Stages.Stage> stages = Stages.of(samples, records);

    assertThat(stages)
        .extracting(Stages.Stage::name)
        .containsExactly(
            "kaskade.default.iris.predictor.iris-predictor-*",
            "kaskade.gateway.*.replies",
            Stages.CLIENT);
    assertThat(stages.get(0).samples()).isEqualTo(2);
    assertThat(stages.get(0).p50()).isEqualTo(3.0); // first record of each call: 3 and 4 ms
    assertThat(stages.get(0).p90()).isEqualTo(4.0);
    assertThat(stages.get(1).p90()).isEqualTo(11.0);
    assertThat(stages.get(2).p50()).isEqualTo(9.5);
  }
}
