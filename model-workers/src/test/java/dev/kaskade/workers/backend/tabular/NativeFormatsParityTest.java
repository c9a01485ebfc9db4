package dev.kaskade.workers.backend.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every native tabular backend answers like the Python library on the same model file: the JVM's
 * predictions on the 150 iris rows equal (within 1e-5) those the example's build.py wrote.
 */
class NativeFormatsParityTest {
  static final double TOLERANCE = 1e-5;

  @ParameterizedTest(name = "{0} {1}: {3} equals the Python library''s")
  @CsvSource({
    "xgboost, model.json, model, output-0",
    "xgboost, model.json, model, margin",
    "xgboost, variants/softmax.ubj, softmax, output-0",
    "xgboost, variants/softmax.ubj, softmax, margin",
    "xgboost, variants/binary.bst, binary, output-0",
    "xgboost, variants/binary.bst, binary, margin",
    "xgboost, variants/regression.json, regression, output-0",
    "lightgbm, model.txt, model, output-0",
    "lightgbm, model.txt, model, raw",
    "lightgbm, variants/binary.txt, binary, output-0",
    "lightgbm, variants/binary.txt, binary, raw",
    "pmml, model.pmml, model, probabilities",
    "sklearn, model.pmml, model, probabilities",
  })
  void numericOutputMatchesReference(String format, String file, String reference, String output)
      throws Exception {
    ReferencePredictions expected = ReferencePredictions.read(format, reference);
    double[] actual = Tensors.toDoubles(predict(format, file, expected, output));

    double[] want = expected.numbers(output);
    assertThat(actual).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(actual[i]).as("%s element %d", output, i).isCloseTo(want[i], within(TOLERANCE));
    }
  }

  @ParameterizedTest(name = "{0}: labels equal scikit-learn''s")
  @CsvSource({"pmml", "sklearn"})
  void classLabelsMatchScikitLearn(String format) throws Exception {
    ReferencePredictions expected = ReferencePredictions.read(format, "model");
    Tensor labels = predict(format, "model.pmml", expected, TabularTensors.OUTPUT);

    List<String> actual =
        Tensors.toByteElements(labels).stream()
            .map(b -> new String(b, StandardCharsets.UTF_8))
            .toList();
    assertThat(actual).isEqualTo(expected.strings(TabularTensors.OUTPUT));
  }

  @ParameterizedTest(name = "{0}: a request naming no outputs gets {2}")
  @CsvSource({
    "xgboost, model.json, output-0",
    "lightgbm, model.txt, output-0",
    "pmml, model.pmml, output-0 probabilities",
  })
  void aRequestNamingNoOutputsGetsThePrediction(String format, String file, String outputs)
      throws Exception {
    ReferencePredictions expected = ReferencePredictions.read(format, "model");
    Path path = ReferencePredictions.EXAMPLES.resolve(format).resolve(file);
    try (LoadedModel model =
        BackendRegistry.load()
            .forFormat(format)
            .load(new ModelSource("iris-" + format, "r1", path, format, Map.of()))) {
      List<Tensor> out = model.infer(List.of(expected.inputTensor(TabularTensors.INPUT)), Set.of());

      assertThat(out).extracting(Tensor::getName).containsExactly(outputs.split(" "));
    }
  }

  private static Tensor predict(
      String format, String file, ReferencePredictions expected, String output) throws Exception {
    Path path = ReferencePredictions.EXAMPLES.resolve(format).resolve(file);
    try (LoadedModel model =
        BackendRegistry.load()
            .forFormat(format)
            .load(new ModelSource("iris-" + format, "r1", path, format, Map.of()))) {
      String input = model.metadata().inputs().get(0).name();
      List<Tensor> out = model.infer(List.of(expected.inputTensor(input)), Set.of(output));
      assertThat(out).extracting(Tensor::getName).containsExactly(output);
      return out.get(0);
    }
  }
}
