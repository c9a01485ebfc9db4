package dev.kaskade.workers.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.TensorMetadata;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnnxBackendTest {
  private final OnnxBackend backend = new OnnxBackend();
  @TempDir Path dir;

  private LoadedModel load(Path path, Map<String, String> params) throws ModelLoadException {
    return backend.load(new ModelSource("m", "m-predictor-00000000", path, "onnx", params));
  }

  @Test
  void shouldDescribeInputsAndOutputsWithDynamicBatchWhenLoaded() throws Exception {
    try (LoadedModel model = load(OnnxTestModels.sumAndDiff(dir), Map.of())) {
      assertThat(model.metadata().platform()).isEqualTo("onnx_onnxv1");
      assertThat(model.metadata().name()).isEqualTo("m");
      assertThat(model.metadata().inputs())
          .containsExactlyInAnyOrder(
              new TensorMetadata("a", DataType.FP32, List.of(-1L, 2L)),
              new TensorMetadata("b", DataType.FP32, List.of(-1L, 2L)));
      assertThat(model.metadata().outputs())
          .extracting(TensorMetadata::name)
          .containsExactlyInAnyOrder("sum", "diff");
      assertThat(model.memoryBytes()).isPositive();
    }
  }

  @Test
  void shouldReturnOnlyRequestedOutputsWhenSubsetAsked() throws Exception {
    try (LoadedModel model = load(OnnxTestModels.sumAndDiff(dir), Map.of())) {
      List<Tensor> inputs =
          List.of(
              Tensors.ofFloats("a", List.of(2L, 2L), new float[] {1, 2, 3, 4}),
              Tensors.ofFloats("b", List.of(2L, 2L), new float[] {10, 20, 30, 40}));
      List<Tensor> diffOnly = model.infer(inputs, Set.of("diff"));
      assertThat(diffOnly).extracting(Tensor::getName).containsExactly("diff");
      assertThat(Tensors.toFloats(diffOnly.get(0))).containsExactly(-9, -18, -27, -36);
      assertThat(diffOnly.get(0).getShape()).containsExactly(2L, 2L);
      List<Tensor> all = model.infer(inputs, Set.of());
      assertThat(all).extracting(Tensor::getName).containsExactlyInAnyOrder("sum", "diff");
      assertThatThrownBy(() -> model.infer(inputs, Set.of("nope")))
          .isInstanceOf(InferenceFailure.class)
          .hasMessageContaining("unknown output 'nope'");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = OnnxMl.TensorProto.DataType.class,
      names = {"FLOAT", "DOUBLE", "INT32", "INT64", "INT8", "UINT8", "BOOL", "FLOAT16"})
  void shouldRoundTripRawBytesWhenDatatypeSupported(OnnxMl.TensorProto.DataType onnxType)
      throws Exception {
    try (LoadedModel model = load(OnnxTestModels.identity(dir, onnxType, 3), Map.of())) {
      TensorMetadata input = model.metadata().inputs().get(0);
      int size = dev.kaskade.schemas.tensor.DataTypes.elementSize(input.datatype());
      byte[] bytes = new byte[2 * 3 * size];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (onnxType == OnnxMl.TensorProto.DataType.BOOL ? i % 2 : i * 7 + 1);
      }
      if (onnxType == OnnxMl.TensorProto.DataType.FLOAT16) {
        for (int i = 0; i < 6; i++) { // finite half floats 1.0, 2.0, ...
          short half = Float.floatToFloat16(i + 1f);
          bytes[2 * i] = (byte) half;
          bytes[2 * i + 1] = (byte) (half >> 8);
        }
      }
      Tensor tensor =
          Tensor.newBuilder()
              .setName("x")
              .setDatatype(input.datatype())
              .setShape(List.of(2L, 3L))
              .setData(ByteBuffer.wrap(bytes))
              .build();
      Tensor out = model.infer(List.of(tensor), Set.of()).get(0);
      assertThat(out.getDatatype()).isEqualTo(input.datatype());
      assertThat(out.getShape()).containsExactly(2L, 3L);
      byte[] back = new byte[out.getData().remaining()];
      out.getData().duplicate().get(back);
      assertThat(back).containsExactly(bytes);
    }
  }

  @Test
  void shouldRejectWrongDatatypeAndUnknownInputWhenInferring() throws Exception {
    try (LoadedModel model =
        load(OnnxTestModels.identity(dir, OnnxMl.TensorProto.DataType.FLOAT, 2), Map.of())) {
      assertThatThrownBy(
              () ->
                  model.infer(
                      List.of(Tensors.ofDoubles("x", List.of(1L, 2L), new double[] {1, 2})),
                      Set.of()))
          .isInstanceOf(InferenceFailure.class)
          .hasMessageContaining("datatype FP64");
      assertThatThrownBy(
              () ->
                  model.infer(
                      List.of(Tensors.ofFloats("z", List.of(1L, 2L), new float[] {1, 2})),
                      Set.of()))
          .isInstanceOf(InferenceFailure.class)
          .hasMessageContaining("unknown input 'z'");
    }
  }

  @Test
  void shouldLoadTheSingleOnnxFileWhenGivenADirectory() throws Exception {
    Path modelDir = dir.resolve("models/1");
    OnnxTestModels.sumAndDiff(modelDir);
    Files.writeString(dir.resolve("models/README.txt"), "not a model");
    try (LoadedModel model = load(dir.resolve("models"), Map.of())) {
      assertThat(model.metadata().inputs()).hasSize(2);
    }
  }

  @Test
  void shouldFailClearlyWhenDirectoryHasNoOrSeveralModels() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> load(empty, Map.of()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no [.onnx] model file found");
    Path two = dir.resolve("two");
    OnnxTestModels.sumAndDiff(two);
    OnnxTestModels.identity(two, OnnxMl.TensorProto.DataType.FLOAT, 1);
    assertThatThrownBy(() -> load(two, Map.of()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("several");
    assertThatThrownBy(() -> load(dir.resolve("missing"), Map.of()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void shouldFailWithReasonWhenFileIsNotOnnx() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.onnx"), "definitely not protobuf");
    assertThatThrownBy(() -> load(junk, Map.of()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("could not load junk.onnx");
  }

  @Test
  void shouldFailWithClearReasonWhenGpuProviderMissing() throws Exception {
    Path model = OnnxTestModels.sumAndDiff(dir);
    org.junit.jupiter.api.Assumptions.assumeFalse(
        OnnxBackend.availableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
        "this ONNX Runtime build has CUDA");
    assertThatThrownBy(() -> load(model, Map.of("executionProvider", "cuda")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'cuda' is not available")
        .hasMessageContaining("CPU");
    assertThatThrownBy(() -> load(model, Map.of("executionProvider", "tensorrt")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'tensorrt' is not available");
    assertThatThrownBy(() -> load(model, Map.of("executionProvider", "tpu")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("unknown executionProvider");
    assertThatThrownBy(() -> load(model, Map.of("intraOpThreads", "many")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("intraOpThreads");
  }

  @Test
  void shouldUseIntraOpThreadsWhenGiven() throws Exception {
    try (LoadedModel model = load(OnnxTestModels.sumAndDiff(dir), Map.of("intraOpThreads", "1"))) {
      assertThat(model.metadata().outputs()).hasSize(2);
    }
  }

  @Test
  void shouldGiveSameAnswersWhenCalledFromManyThreads() throws Exception {
    try (LoadedModel model = load(OnnxTestModels.sumAndDiff(dir), Map.of())) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<float[]>> futures = new ArrayList<>();
        for (int t = 0; t < 200; t++) {
          float v = t;
          futures.add(
              pool.submit(
                  () ->
                      Tensors.toFloats(
                          model
                              .infer(
                                  List.of(
                                      Tensors.ofFloats("a", List.of(1L, 2L), new float[] {v, v}),
                                      Tensors.ofFloats("b", List.of(1L, 2L), new float[] {1, 2})),
                                  Set.of("sum"))
                              .get(0))));
        }
        for (int t = 0; t < futures.size(); t++) {
          assertThat(futures.get(t).get()).containsExactly(t + 1f, t + 2f);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void shouldRefuseInferenceWhenClosed() throws Exception {
    LoadedModel model = load(OnnxTestModels.sumAndDiff(dir), Map.of());
    model.close();
    model.close(); // idempotent
    assertThatThrownBy(
            () ->
                model.infer(
                    List.of(
                        Tensors.ofFloats("a", List.of(1L, 2L), new float[] {1, 2}),
                        Tensors.ofFloats("b", List.of(1L, 2L), new float[] {1, 2})),
                    Set.of()))
        .isInstanceOf(InferenceFailure.class)
        .hasMessageContaining("unloaded");
  }
}
