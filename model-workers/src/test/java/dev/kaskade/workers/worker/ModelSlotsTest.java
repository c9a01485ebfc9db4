package dev.kaskade.workers.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelSlotsTest {
  @Test
  void chargesTheEstimateWhenATrainedModelDeclaresLessMemory() {
    assertThat(ModelSlots.chargedBytes(1, 1000)).isEqualTo(1000);
  }

  @Test
  void chargesTheDeclarationWhenItIsLarger() {
    assertThat(ModelSlots.chargedBytes(5000, 1000)).isEqualTo(5000);
  }

  @Test
  void chargesTheEstimateWhenNothingIsDeclared() {
    assertThat(ModelSlots.chargedBytes(0, 1000)).isEqualTo(1000);
  }
}
