package dev.kaskade.schemas.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

  private static InferenceServiceSpec spec(String latest, String previous, Integer percent) {
    return InferenceServiceSpec.newBuilder()
        .setPredictor(PredictorSpec.newBuilder().setRevision(latest).build())
        .setPreviousPredictor(
            previous == null ? null : PredictorSpec.newBuilder().setRevision(previous).build())
        .setCanaryTrafficPercent(percent)
        .build();
  }

  @Test
  void sendsEverythingToTheLatestRevisionWithoutACanary() {
    assertThat(TrafficSplit.revisionFor("any", spec("new", null, null))).isEqualTo("new");
    assertThat(TrafficSplit.revisionFor("any", spec("new", "old", 100))).isEqualTo("new");
  }

  @Test
  void sendsTheSameRequestIdToTheSameRevisionEveryTime() {
    InferenceServiceSpec canary = spec("new", "old", 50);
    for (int i = 0; i < 100; i++) {
      String id = "req-" + i;
      assertThat(TrafficSplit.revisionFor(id, canary))
          .isEqualTo(TrafficSplit.revisionFor(id, canary));
    }
  }

  @Test
  void splitsRandomIdsInProportionToTheCanaryPercent() {
    InferenceServiceSpec canary = spec("new", "old", 20);
    int toNew = 0;
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      toNew += TrafficSplit.revisionFor(UUID.randomUUID().toString(), canary).equals("new") ? 1 : 0;
    }
    // Binomial(10000, 0.2): sigma = 40; 5 sigma either way.
    assertThat(toNew).isBetween(1800, 2200);
  }

  @Test
  void mirrorsToTheNewRevisionOnlyWhenItIsPinnedAtZeroPercent() {
    assertThat(TrafficSplit.shadowRevision(spec("new", "old", 0))).isEqualTo("new");
    assertThat(TrafficSplit.revisionFor("any", spec("new", "old", 0))).isEqualTo("old");
    assertThat(TrafficSplit.shadowRevision(spec("new", "old", 20))).isNull();
    assertThat(TrafficSplit.shadowRevision(spec("new", null, 0))).isNull();
    assertThat(TrafficSplit.shadowRevision(spec("same", "same", 0))).isNull();
  }

  @Test
  void fallsBackToTheOtherRolledOutRevisionOnlyWhenTheChosenOneIsNotReady() {
    InferenceServiceSpec allOld = spec("new", "old", 0); // every request chooses "old"

    assertThat(TrafficSplit.readyRevisionFor("r", allOld, rev -> true)).contains("old");
    assertThat(TrafficSplit.readyRevisionFor("r", allOld, "new"::equals)).contains("new");
    assertThat(TrafficSplit.readyRevisionFor("r", allOld, rev -> false)).isEmpty();
    assertThat(TrafficSplit.readyRevisionFor("r", spec("new", null, null), "old"::equals))
        .isEmpty();
    assertThat(TrafficSplit.revisions(spec("same", "same", 10))).containsExactly("same");
    assertThat(TrafficSplit.revisions(allOld)).containsExactly("new", "old");
  }
}
