package dev.kaskade.workers.backend.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBatching;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.TensorMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TritonBackendTest {
  static final Path REPOSITORY = Path.of("..", "examples", "triton", "model_repository");
  static final Path IRIS_ONNX = Path.of("..", "examples", "iris", "model.onnx");

  @TempDir Path repo;

  @Test
  void theExampleRepositoryIsServedByOnnxRuntimeWithItsConfiguredSignatureAndBatching()
      throws Exception {
    try (LoadedModel model = load(REPOSITORY, "iris-triton")) {
      assertThat(model.metadata().name()).isEqualTo("iris-triton");
      assertThat(model.metadata().platform()).isEqualTo("onnx_onnxv1");
      assertThat(model.metadata().inputs())
          .containsExactly(new TensorMetadata("input", DataType.FP32, List.of(-1L, 4L)));
      assertThat(model.batching()).contains(new ModelBatching(8, true, 2000, List.of(4, 8)));

      List<Tensor> out = model.infer(List.of(rows(2)), Set.of());

      assertThat(out).extracting(Tensor::getName).containsExactly("output");
      assertThat(out.get(0).getShape()).containsExactly(2L, 3L);
    }
  }

  @Test
  void aRequestLargerThanMaxBatchSizeIsAnInvalidArgument() throws Exception {
    try (LoadedModel model = load(REPOSITORY, "iris-triton")) {
      assertThatThrownBy(() -> model.infer(List.of(rows(9)), Set.of()))
          .isInstanceOfSatisfying(
              KaskadeException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
          .hasMessageContaining("batch-size must be <= 8");
    }
  }

  @Test
  void theModelNamedLikeTheInferenceServiceAndItsLatestAllowedVersionAreServed() throws Exception {
    model("a", "1", "3");
    model("b", "1");
    Files.writeString(
        repo.resolve("a/config.pbtxt"), "version_policy: { specific: { versions: [ 1 ] } }");
    Files.writeString(repo.resolve("a/3/model.onnx"), "not an onnx file");

    try (LoadedModel model = load(repo, "a")) {
      assertThat(model.metadata().inputs().get(0).name()).isEqualTo("input");
    }
    assertThatThrownBy(() -> load(repo, "c"))
        .hasMessageContaining("holds several models [a, b] and none is named like")
        .hasMessageContaining("'c'");
  }

  @Test
  void anotherTritonBackendFailsToLoadNamingTheRuntimeBridge() throws Exception {
    model("torch", "1");
    Files.writeString(repo.resolve("torch/config.pbtxt"), "platform: \"pytorch_libtorch\"");

    assertThatThrownBy(() -> load(repo, "torch"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("uses backend 'pytorch_libtorch'")
        .hasMessageContaining("KServe's tritonserver through the runtime bridge")
        .hasMessageContaining(BackendRegistry.BRIDGE_ANNOTATION);
  }

  @Test
  void missingVersionsOrModelFilesAreNamed() throws Exception {
    Files.createDirectories(repo.resolve("m"));
    Files.writeString(repo.resolve("m/config.pbtxt"), "backend: \"onnxruntime\"");
    assertThatThrownBy(() -> load(repo, "m")).hasMessageContaining("has no version folder");

    Files.createDirectories(repo.resolve("m/2"));
    assertThatThrownBy(() -> load(repo, "m"))
        .hasMessageContaining("m/2 has no model file model.onnx");
  }

  @Test
  void theRegistryServesFormatTriton() throws Exception {
    assertThat(BackendRegistry.load().forFormat("triton")).isInstanceOf(TritonBackend.class);
  }

  private void model(String name, String... versions) throws IOException {
    for (String version : versions) {
      Path dir = Files.createDirectories(repo.resolve(name).resolve(version));
      Files.copy(IRIS_ONNX, dir.resolve("model.onnx"));
    }
  }

  private static LoadedModel load(Path path, String name) throws ModelLoadException {
    return new TritonBackend().load(new ModelSource(name, "r1", path, "triton", Map.of()));
  }

  private static Tensor rows(int n) {
    float[] data = new float[n * 4];
    java.util.Arrays.fill(data, 1f);
    return Tensors.ofFloats("input", List.of((long) n, 4L), data);
  }
}
