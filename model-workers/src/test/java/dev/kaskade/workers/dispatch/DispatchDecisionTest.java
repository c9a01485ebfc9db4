package dev.kaskade.workers.dispatch;

import static dev.kaskade.workers.testing.Fixtures.predictor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.TransformerSpec;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.route.TrafficSplit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DispatchDecisionTest {
  private final InferenceServiceSpec canary =
      InferenceServiceSpec.newBuilder()
          .setPredictor(predictor("new", "/m", null))
          .setPreviousPredictor(predictor("old", "/m", null))
          .setCanaryTrafficPercent(30)
          .build();

  @Test
  void unknownInferenceServiceIsNotFound() {
    var decision = DispatchDecision.decide("ns", "ghost", Optional.empty(), "id", null);
    assertThat(decision)
        .isInstanceOfSatisfying(
            DispatchDecision.Reject.class,
            r -> {
              assertThat(r.error().reason()).isEqualTo(Reason.NOT_FOUND);
              assertThat(r.error().getMessage()).contains("ns/ghost");
            });
  }

  @Test
  void followsTheSharedCanarySplit() {
    for (int i = 0; i < 200; i++) {
      String id = "req-" + i;
      var decision = DispatchDecision.decide("ns", "iris", Optional.of(canary), id, null);
      assertThat(((DispatchDecision.Forward) decision).revision())
          .isEqualTo(TrafficSplit.revisionFor(id, canary));
    }
  }

  @Test
  void pinnedRevisionWinsWhenItExists() {
    var decision = DispatchDecision.decide("ns", "iris", Optional.of(canary), "x", "old");
    assertThat(((DispatchDecision.Forward) decision).revision()).isEqualTo("old");
    var missing = DispatchDecision.decide("ns", "iris", Optional.of(canary), "x", "nope");
    assertThat(((DispatchDecision.Reject) missing).error().reason()).isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void skipsInferenceServicesWithATransformer() {
    InferenceServiceSpec withTransformer =
        InferenceServiceSpec.newBuilder()
            .setPredictor(predictor("new", "/m", null))
            .setTransformer(TransformerSpec.newBuilder().setRevision("t1").build())
            .build();
    assertThat(DispatchDecision.decide("ns", "iris", Optional.of(withTransformer), "x", null))
        .isInstanceOf(DispatchDecision.Skip.class);
  }

  @Test
  void requestTopicPatternMatchesOnlyInferenceServiceRequestTopics() {
    var pattern = RequestDispatcher.requestTopics("kaskade");
    assertThat(pattern.matcher("kaskade.default.iris.requests").matches()).isTrue();
    assertThat(pattern.matcher("kaskade.default.graph.g.requests").matches()).isFalse();
    assertThat(pattern.matcher("kaskade.default.iris.explain.requests").matches()).isFalse();
    assertThat(pattern.matcher("other.default.iris.requests").matches()).isFalse();
  }
}
