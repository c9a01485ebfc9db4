package dev.kaskade.workers.backend.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine-independent parts of the TensorRT backend (no GPU needed). */
class TensorRtLogicTest {
  @TempDir Path dir;

  @Test
  void shouldDetectFormatByExtensionAndPreferEngineInDirectory() throws Exception {
    assertThat(TrtModelFiles.kindOf(Path.of("m.plan"))).isEqualTo(TrtModelFiles.Kind.PLAN);
    assertThat(TrtModelFiles.kindOf(Path.of("m.ENGINE"))).isEqualTo(TrtModelFiles.Kind.PLAN);
    assertThat(TrtModelFiles.kindOf(Path.of("m.onnx"))).isEqualTo(TrtModelFiles.Kind.ONNX);
    assertThat(TrtModelFiles.kindOf(Path.of("m.pt"))).isNull();
    Path both = Files.createDirectories(dir.resolve("both/1"));
    Files.write(both.resolve("model.plan"), new byte[] {1});
    Files.write(both.resolve("model.onnx"), new byte[] {2});
    assertThat(TrtModelFiles.locate(dir.resolve("both")))
        .isEqualTo(new TrtModelFiles.Located(both.resolve("model.plan"), TrtModelFiles.Kind.PLAN));
    Path onnxOnly = Files.createDirectories(dir.resolve("onnx"));
    Files.write(onnxOnly.resolve("model.onnx"), new byte[] {2});
    assertThat(TrtModelFiles.locate(onnxOnly).kind()).isEqualTo(TrtModelFiles.Kind.ONNX);
    Path wrong = Files.write(dir.resolve("model.pt"), new byte[] {3});
    assertThatThrownBy(() -> TrtModelFiles.locate(wrong))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(".plan");
    assertThatThrownBy(() -> TrtModelFiles.locate(Files.createDirectories(dir.resolve("empty"))))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no [.onnx] model file");
  }

  @Test
  void shouldComputeDynamicBatchProfileWhenOnlyBatchIsDynamic() throws Exception {
    Map<String, List<Long>> inputs = new LinkedHashMap<>();
    inputs.put("input", List.of(-1L, 64L));
    inputs.put("mask", List.of(4L, 2L));
    var profile = OptimizationProfiles.compute(inputs, 32, 8);
    assertThat(profile.get("input"))
        .isEqualTo(
            new OptimizationProfiles.Range(List.of(1L, 64L), List.of(8L, 64L), List.of(32L, 64L)));
    assertThat(profile.get("mask").min()).containsExactly(4L, 2L);
    assertThat(profile.get("mask").max()).containsExactly(4L, 2L);
    assertThat(OptimizationProfiles.compute(inputs, 4, 100).get("input").opt())
        .containsExactly(4L, 64L);
    assertThatThrownBy(() -> OptimizationProfiles.compute(Map.of("x", List.of(-1L, -1L)), 8, 8))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("dynamic dimension 1");
    assertThatThrownBy(() -> OptimizationProfiles.compute(inputs, 0, 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("maxBatchSize");
  }

  @Test
  void shouldReadOnnxGraphInputsWithDynamicBatch() throws Exception {
    assertThat(OnnxInputs.read(Path.of("..", "examples", "mlp", "model.onnx")))
        .containsExactly(Map.entry("input", List.of(-1L, 64L)));
    assertThat(OnnxInputs.read(Path.of("..", "examples", "iris", "model.onnx")))
        .containsExactly(Map.entry("input", List.of(-1L, 4L)));
  }

  @Test
  void shouldMapTensorRtDataTypesToOipNames() {
    assertThat(TrtTypes.toOip("kFLOAT")).isEqualTo(DataType.FP32);
    assertThat(TrtTypes.toOip("kHALF")).isEqualTo(DataType.FP16);
    assertThat(TrtTypes.toOip("kBF16")).isEqualTo(DataType.BF16);
    assertThat(TrtTypes.toOip("kINT8")).isEqualTo(DataType.INT8);
    assertThat(TrtTypes.toOip("kINT32")).isEqualTo(DataType.INT32);
    assertThat(TrtTypes.toOip("kINT64")).isEqualTo(DataType.INT64);
    assertThat(TrtTypes.toOip("kBOOL")).isEqualTo(DataType.BOOL);
    assertThat(TrtTypes.toOip("kUINT8")).isEqualTo(DataType.UINT8);
    assertThat(TrtTypes.toOip("kFP8")).isNull();
    assertThat(TrtTypes.toOip("kINT4")).isNull();
    assertThat(TrtTypes.elementSize("kHALF")).isEqualTo(2);
    assertThat(TrtTypes.elementSize("kFP4")).isEqualTo(-1);
  }

  @Test
  void shouldSplitHostBatchesAndJoinThemBack() throws Exception {
    float[] values = new float[70 * 3];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    ByteBuffer data = Tensors.ofFloats("x", List.of(70L, 3L), values).getData();
    var chunks = HostBatches.split(Map.of("x", new HostTensor(List.of(70L, 3L), data)), 32);
    assertThat(chunks).hasSize(3);
    assertThat(chunks.get(0).get("x").shape()).containsExactly(32L, 3L);
    assertThat(chunks.get(2).get("x").shape()).containsExactly(6L, 3L);
    assertThat(chunks.get(1).get("x").data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(0))
        .isEqualTo(32 * 3f);
    HostTensor joined = HostBatches.concat(chunks.stream().map(c -> c.get("x")).toList());
    assertThat(joined.shape()).containsExactly(70L, 3L);
    float[] back = new float[values.length];
    joined.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(back);
    assertThat(back).containsExactly(values);
    assertThat(HostBatches.split(Map.of("x", new HostTensor(List.of(5L, 3L), data)), 32))
        .hasSize(1);
  }

  @Test
  void shouldBindByNameAndRejectMismatches() throws Exception {
    List<EngineTensor> engine =
        List.of(
            new EngineTensor("input", true, "kFLOAT", List.of(-1L, 4L), List.of(16L, 4L)),
            new EngineTensor("probs", false, "kFLOAT", List.of(-1L, 3L), List.of(16L, 3L)),
            new EngineTensor("label", false, "kINT32", List.of(-1L), List.of(16L)));
    Tensor ok = Tensors.ofFloats("input", List.of(2L, 4L), new float[8]);
    BindingPlan plan = BindingPlan.create(engine, List.of(ok), Set.of());
    assertThat(plan.batch()).isEqualTo(2);
    assertThat(plan.outputs()).containsExactly("probs", "label");
    assertThat(BindingPlan.create(engine, List.of(ok), Set.of("label")).outputs())
        .containsExactly("label");
    assertThatThrownBy(() -> BindingPlan.create(engine, List.of(ok), Set.of("nope")))
        .isInstanceOf(InferenceFailure.class)
        .hasMessageContaining("unknown output 'nope'");
    assertThatThrownBy(
            () ->
                BindingPlan.create(
                    engine,
                    List.of(Tensors.ofFloats("input", List.of(2L, 5L), new float[10])),
                    Set.of()))
        .isInstanceOf(InferenceFailure.class)
        .hasMessageContaining("engine expects [-1, 4]");
    assertThatThrownBy(
            () ->
                BindingPlan.create(
                    engine,
                    List.of(Tensors.ofDoubles("input", List.of(2L, 4L), new double[8])),
                    Set.of()))
        .isInstanceOf(InferenceFailure.class)
        .hasMessageContaining("datatype FP64");
    assertThatThrownBy(() -> BindingPlan.create(engine, List.of(), Set.of()))
        .isInstanceOf(InferenceFailure.class)
        .hasMessageContaining("missing input 'input'");
    assertThatThrownBy(
            () ->
                BindingPlan.create(
                    engine,
                    List.of(ok, Tensors.ofFloats("extra", List.of(1L), new float[1])),
                    Set.of()))
        .isInstanceOf(InferenceFailure.class)
        .hasMessageContaining("unknown input 'extra'");
  }

  @Test
  void shouldRejectAShapeWhoseByteSizeOverflowsInsteadOfWrappingToZero() {
    List<EngineTensor> engine =
        List.of(new EngineTensor("input", true, "kFLOAT", List.of(-1L), List.of(16L)));
    // 2^62 FP32 elements are 2^64 bytes, which a plain long multiplication wraps to 0.
    Tensor empty =
        Tensor.newBuilder()
            .setName("input")
            .setDatatype(dev.kaskade.events.DataType.FP32)
            .setShape(new java.util.ArrayList<>(List.of(1L << 62)))
            .setData(ByteBuffer.allocate(0))
            .build();
    assertThatThrownBy(() -> BindingPlan.create(engine, List.of(empty), Set.of()))
        .isInstanceOf(InferenceFailure.class)
        .hasMessageContaining("too large");
  }
}
