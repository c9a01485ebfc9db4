package dev.kaskade.workers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.workers.backend.ModelBatching;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {
  @Test
  void dynamicBatchingFlushesAtTheLargestPreferredSizeOrAfterTheQueueDelay() {
    BatchPolicy policy =
        BatchPolicy.forModel(Optional.empty(), new ModelBatching(16, true, 2500, List.of(4, 8)));

    assertThat(policy).isEqualTo(new BatchPolicy(8, 3)); // 2.5 ms rounds up to whole ms
  }

  @Test
  void dynamicBatchingWithoutPreferredSizesFillsUpToMaxBatchSize() {
    assertThat(BatchPolicy.forModel(Optional.empty(), new ModelBatching(16, true, 0, List.of())))
        .isEqualTo(new BatchPolicy(16, 0));
  }

  @Test
  void withoutDynamicBatchingOrWithoutABatchDimensionEveryRequestRunsAlone() {
    assertThat(BatchPolicy.forModel(Optional.empty(), new ModelBatching(8, false, 0, List.of())))
        .isEqualTo(new BatchPolicy(1, 0));
    assertThat(
            BatchPolicy.forModel(
                Optional.of(new BatchPolicy(32, 5)), new ModelBatching(0, false, 0, List.of())))
        .isEqualTo(new BatchPolicy(1, 0));
  }

  @Test
  void anInferenceServiceBatcherKeepsItsLatencyButIsCappedAtMaxBatchSize() {
    ModelBatching model = new ModelBatching(8, true, 100, List.of(4));

    assertThat(BatchPolicy.forModel(Optional.of(new BatchPolicy(32, 5)), model))
        .isEqualTo(new BatchPolicy(8, 5));
    assertThat(BatchPolicy.forModel(Optional.of(new BatchPolicy(2, 5)), model))
        .isEqualTo(new BatchPolicy(2, 5));
  }
}
