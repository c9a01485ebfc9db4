package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.PredictorSpec;
import org.junit.jupiter.api.Test;

class CanaryBookkeepingTest {
  private static final PredictorSpec V1 = PredictorSpec.newBuilder().setRevision("r1").build();
  private static final PredictorSpec V2 = PredictorSpec.newBuilder().setRevision("r2").build();
  private static final PredictorSpec V3 = PredictorSpec.newBuilder().setRevision("r3").build();

  @Test
  void firstRevisionIsRolledOutEvenWithCanaryPercent() {
    var after = CanaryBookkeeping.next(CanaryBookkeeping.Before.NOTHING, V1, 20);
    assertThat(after).isEqualTo(new CanaryBookkeeping.After(null, "r1", null));
  }

  @Test
  void newRevisionWithCanaryKeepsPreviousRolledOutRevision() {
    var before = new CanaryBookkeeping.Before(V1, null, "r1", null);
    var after = CanaryBookkeeping.next(before, V2, 20);
    assertThat(after).isEqualTo(new CanaryBookkeeping.After(V1, "r1", null));
  }

  @Test
  void removingCanaryPercentPromotesAndRemembersThePreviousRevision() {
    var before = new CanaryBookkeeping.Before(V2, V1, "r1", null);
    var after = CanaryBookkeeping.next(before, V2, null);
    assertThat(after).isEqualTo(new CanaryBookkeeping.After(null, "r2", "r1"));
  }

  @Test
  void canaryAt100Promotes() {
    var before = new CanaryBookkeeping.Before(V2, V1, "r1", null);
    assertThat(CanaryBookkeeping.next(before, V2, 100))
        .isEqualTo(new CanaryBookkeeping.After(null, "r2", "r1"));
  }

  @Test
  void canaryAtZeroRollsBackToThePreviousRevision() {
    var before = new CanaryBookkeeping.Before(V2, V1, "r1", null);
    var after = CanaryBookkeeping.next(before, V2, 0);
    assertThat(after.previous()).isEqualTo(V1);
    assertThat(after.latestRolledOut()).isEqualTo("r1");
  }

  @Test
  void replacingACanaryKeepsTheStableRevisionNotTheAbandonedCanary() {
    var before = new CanaryBookkeeping.Before(V2, V1, "r1", null);
    var after = CanaryBookkeeping.next(before, V3, 10);
    assertThat(after.previous()).isEqualTo(V1);
  }

  @Test
  void revertingToTheKeptSpecMakesItTheOnlyRevision() {
    var before = new CanaryBookkeeping.Before(V2, V1, "r1", null);
    var after = CanaryBookkeeping.next(before, V1, 50);
    assertThat(after.previous()).isNull();
    assertThat(after.latestRolledOut()).isEqualTo("r1");
  }

  @Test
  void aPromotionOfARevisionThatIsNotReadyKeepsTheTrafficOnTheRolledOutOne() {
    var before = new CanaryBookkeeping.Before(V1, null, "r1", null);
    assertThat(CanaryBookkeeping.next(before, V2, null, false))
        .isEqualTo(new CanaryBookkeeping.After(V1, "r1", null));
    // once r2 is ready the re-plan promotes it
    var waiting = new CanaryBookkeeping.Before(V2, V1, "r1", null);
    assertThat(CanaryBookkeeping.next(waiting, V2, null, true))
        .isEqualTo(new CanaryBookkeeping.After(null, "r2", "r1"));
  }

  @Test
  void theFirstRevisionIsRolledOutBeforeItIsReadyBecauseNothingElseServes() {
    assertThat(CanaryBookkeeping.next(CanaryBookkeeping.Before.NOTHING, V1, null, false))
        .isEqualTo(new CanaryBookkeeping.After(null, "r1", null));
  }
}
