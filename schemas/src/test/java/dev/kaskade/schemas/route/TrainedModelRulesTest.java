package dev.kaskade.schemas.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ModelState;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainedModelRulesTest {

  @Test
  void aFailedLoadWithoutALoadedInstanceIsNotServableEvenWhileAnotherLoads() {
    assertThat(
            TrainedModelRules.servable(List.of(ModelState.Loading, ModelState.FailedToLoad), true))
        .isFalse();
  }

  @Test
  void aLoadedInstanceIsServableWhateverTheOthersReport() {
    assertThat(
            TrainedModelRules.servable(List.of(ModelState.FailedToLoad, ModelState.Ready), false))
        .isTrue();
  }

  @Test
  void evictedLoadingOrNeverLoadedIsServableOnlyWhileTheParentServes() {
    assertThat(TrainedModelRules.servable(List.of(ModelState.Unloaded), true)).isTrue();
    assertThat(TrainedModelRules.servable(List.of(), true)).isTrue();
    assertThat(TrainedModelRules.servable(List.of(ModelState.Loading), false)).isFalse();
  }
}
