package dev.kaskade.workers.backend.sklearn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.onnx.OnnxBackend;
import dev.kaskade.workers.backend.pmml.PmmlBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SklearnBackendTest {
  static final Path EXAMPLES = Path.of("..", "examples");

  @TempDir Path dir;

  @Test
  void aPickleAloneFailsWithAReasonNamingTheExportsAndTheBridge() throws Exception {
    Files.copy(EXAMPLES.resolve("sklearn/model.joblib"), dir.resolve("model.joblib"));

    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("only a Python pickle")
        .hasMessageContaining("ONNX export (model.onnx")
        .hasMessageContaining("PMML export (model.pmml")
        .hasMessageContaining("through the bridge")
        .hasMessageContaining("kaskade.dev/upstream-url");
  }

  @Test
  void aPmmlExportNextToThePickleIsServedByJpmml() throws Exception {
    Files.copy(EXAMPLES.resolve("sklearn/model.joblib"), dir.resolve("model.joblib"));
    Files.copy(EXAMPLES.resolve("sklearn/model.pmml"), dir.resolve("model.pmml"));

    try (LoadedModel model = load(dir)) {
      assertThat(model.metadata().platform()).isEqualTo(PmmlBackend.PLATFORM);
    }
  }

  @Test
  void anOnnxExportIsPreferredAndServedByOnnxRuntime() throws Exception {
    Files.copy(EXAMPLES.resolve("iris/model.onnx"), dir.resolve("model.onnx"));
    Files.copy(EXAMPLES.resolve("sklearn/model.pmml"), dir.resolve("model.pmml"));

    try (LoadedModel model = load(dir)) {
      assertThat(model.metadata().platform()).isEqualTo(OnnxBackend.PLATFORM);
    }
  }

  @Test
  void anEmptyFolderSaysNoModelFile() {
    assertThatThrownBy(() -> load(dir)).hasMessageContaining("has no model file");
  }

  private static LoadedModel load(Path path) throws ModelLoadException {
    return new SklearnBackend().load(new ModelSource("iris", "r1", path, "sklearn", Map.of()));
  }
}
