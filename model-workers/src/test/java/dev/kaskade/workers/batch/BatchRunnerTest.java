package dev.kaskade.workers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.batch.BatchRunner.Job;
import dev.kaskade.workers.batch.BatchRunner.Outcome;
import dev.kaskade.workers.testing.LinearModel;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchRunnerTest {
  private static Job job(float... values) {
    return new Job(
        List.of(Tensors.ofFloats("input", List.of((long) values.length / 4, 4L), values)),
        Set.of());
  }

  @Test
  void runsMergedRequestsOnceAndGivesEachItsOwnRows() {
    LinearModel model = new LinearModel();
    List<Outcome> outcomes =
        BatchRunner.run(model, List.of(job(1, 0, 0, 0), job(0, 1, 0, 0, 0, 0, 1, 0)));

    assertThat(model.executedRows()).containsExactly(3);
    Outcome.Success first = (Outcome.Success) outcomes.get(0);
    Outcome.Success second = (Outcome.Success) outcomes.get(1);
    assertThat(first.batchSize()).isEqualTo(2);
    assertThat(Tensors.toFloats(first.outputs().get(0)))
        .containsExactly(LinearModel.expected(new float[] {1, 0, 0, 0}));
    assertThat(second.outputs().get(0).getShape()).containsExactly(2L, 3L);
  }

  @Test
  void aBadRequestInABatchFailsOnlyItself() {
    LinearModel model = new LinearModel();
    List<Outcome> outcomes =
        BatchRunner.run(model, List.of(job(1, 1, 1, 1), job(-1, 0, 0, 0), job(2, 2, 2, 2)));

    assertThat(outcomes.get(0)).isInstanceOf(Outcome.Success.class);
    assertThat(outcomes.get(2)).isInstanceOf(Outcome.Success.class);
    Outcome.Failure failure = (Outcome.Failure) outcomes.get(1);
    assertThat(failure.error().reason()).isEqualTo(Reason.INTERNAL);
    assertThat(failure.error().getMessage()).contains("negative feature");
    assertThat(((Outcome.Success) outcomes.get(0)).batchSize()).isEqualTo(1);
  }

  @Test
  void anUnavailableModelServerAnswersTheWholeBatchWithoutRetryingEachMember() {
    List<Long> deadlines = new java.util.ArrayList<>();
    LoadedModel down =
        new LoadedModel() {
          @Override
          public List<Tensor> infer(List<Tensor> inputs, Set<String> outputs, long deadlineMs) {
            deadlines.add(deadlineMs);
            throw KaskadeException.unavailable("model server down");
          }

          @Override
          public List<Tensor> infer(List<Tensor> inputs, Set<String> outputs) {
            return infer(inputs, outputs, 0);
          }

          @Override
          public dev.kaskade.workers.backend.ModelMetadata metadata() {
            return LinearModel.METADATA;
          }

          @Override
          public long memoryBytes() {
            return 0;
          }

          @Override
          public void close() {}
        };
    Job late = new Job(job(1, 1, 1, 1).inputs(), Set.of(), 9_000);
    Job early = new Job(job(2, 2, 2, 2).inputs(), Set.of(), 5_000);
    List<Outcome> outcomes = BatchRunner.run(down, List.of(late, early, job(3, 3, 3, 3)));

    assertThat(deadlines).containsExactly(5_000L);
    assertThat(outcomes)
        .allSatisfy(
            o -> assertThat(((Outcome.Failure) o).error().reason()).isEqualTo(Reason.UNAVAILABLE));
  }
}
