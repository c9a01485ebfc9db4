package dev.kaskade.workers.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.TensorMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed example models load in the ONNX backend and behave as documented. */
class DemoModelsTest {
  static final Path EXAMPLES = Path.of("..", "examples");

  private static LoadedModel load(Path path) throws Exception {
    return BackendRegistry.load()
        .forFormat("onnx")
        .load(new ModelSource("demo", "demo-predictor-00000000", path, "onnx", Map.of()));
  }

  @Test
  void shouldClassifyIrisRowsWhenCommittedModelLoaded() throws Exception {
    List<IrisModelTrainer.Row> rows =
        IrisModelTrainer.readCsv(EXAMPLES.resolve("iris").resolve("iris.csv"));
    assertThat(rows).hasSize(150);
    try (LoadedModel model = load(EXAMPLES.resolve("iris").resolve("model.onnx"))) {
      assertThat(model.metadata().inputs())
          .containsExactly(new TensorMetadata("input", DataType.FP32, List.of(-1L, 4L)));
      assertThat(model.metadata().outputs())
          .containsExactly(new TensorMetadata("output", DataType.FP32, List.of(-1L, 3L)));
      float[] batch = new float[rows.size() * 4];
      for (int r = 0; r < rows.size(); r++) {
        System.arraycopy(rows.get(r).features(), 0, batch, r * 4, 4);
      }
      Tensor out =
          model
              .infer(
                  List.of(Tensors.ofFloats("input", List.of((long) rows.size(), 4L), batch)),
                  Set.of())
              .get(0);
      assertThat(out.getShape()).containsExactly(150L, 3L);
      float[] probs = Tensors.toFloats(out);
      int correct = 0;
      for (int r = 0; r < rows.size(); r++) {
        int best = 0;
        float sum = 0;
        for (int c = 0; c < 3; c++) {
          sum += probs[r * 3 + c];
          if (probs[r * 3 + c] > probs[r * 3 + best]) {
            best = c;
          }
        }
        assertThat(sum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        if (IrisModelTrainer.CLASSES.get(best).equals(rows.get(r).species())) {
          correct++;
        }
      }
      assertThat(correct / 150.0).isGreaterThanOrEqualTo(0.9);
      // Textbook rows: first setosa, first versicolor, first virginica.
      assertThat(argmax(probs, 0)).isEqualTo(0);
      assertThat(argmax(probs, 50)).isEqualTo(1);
      assertThat(argmax(probs, 100)).isEqualTo(2);
    }
  }

  @Test
  void shouldRetrainIrisWithTheSameContractWhenTrainerRuns(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("iris.onnx");
    double accuracy = IrisModelTrainer.train(EXAMPLES.resolve("iris").resolve("iris.csv"), out);
    assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
    try (LoadedModel model = load(out)) {
      assertThat(model.metadata().inputs())
          .extracting(TensorMetadata::name)
          .containsExactly("input");
      assertThat(model.metadata().outputs())
          .containsExactly(new TensorMetadata("output", DataType.FP32, List.of(-1L, 3L)));
      float[] virginica = {7.7f, 3.0f, 6.1f, 2.3f};
      float[] probs =
          Tensors.toFloats(
              model
                  .infer(List.of(Tensors.ofFloats("input", List.of(1L, 4L), virginica)), Set.of())
                  .get(0));
      assertThat(argmax(probs, 0)).isEqualTo(2);
    }
  }

  @Test
  void shouldRunBatchedMlpEquallyToSingleRowsWhenCommittedModelLoaded() throws Exception {
    Path mlp = EXAMPLES.resolve("mlp").resolve("model.onnx");
    try (LoadedModel model = load(mlp)) {
      int in = DemoModels.MLP_INPUTS;
      int out = DemoModels.MLP_OUTPUTS;
      assertThat(model.metadata().inputs())
          .containsExactly(new TensorMetadata("input", DataType.FP32, List.of(-1L, (long) in)));
      assertThat(model.metadata().outputs())
          .containsExactly(new TensorMetadata("output", DataType.FP32, List.of(-1L, (long) out)));
      int batch = 32;
      float[] x = new float[batch * in];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) Math.sin(i * 0.37);
      }
      float[] batched =
          Tensors.toFloats(
              model
                  .infer(
                      List.of(Tensors.ofFloats("input", List.of((long) batch, (long) in), x)),
                      Set.of())
                  .get(0));
      assertThat(batched).hasSize(batch * out);
      for (int r = 0; r < batch; r += 7) {
        float[] row = java.util.Arrays.copyOfRange(x, r * in, (r + 1) * in);
        float[] single =
            Tensors.toFloats(
                model
                    .infer(
                        List.of(Tensors.ofFloats("input", List.of(1L, (long) in), row)), Set.of())
                    .get(0));
        for (int c = 0; c < out; c++) {
          assertThat(single[c])
              .isCloseTo(batched[r * out + c], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
  }

  @Test
  void shouldWriteIdenticalMlpBytesWhenRegenerated(@TempDir Path dir) throws Exception {
    Path regenerated = dir.resolve("mlp.onnx");
    DemoModels.writeMlp(regenerated);
    assertThat(Files.readAllBytes(regenerated))
        .isEqualTo(Files.readAllBytes(EXAMPLES.resolve("mlp").resolve("model.onnx")));
  }

  private static int argmax(float[] probs, int row) {
    int best = 0;
    for (int c = 1; c < 3; c++) {
      if (probs[row * 3 + c] > probs[row * 3 + best]) {
        best = c;
      }
    }
    return best;
  }
}
