package dev.kaskade.workers.backend.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.TensorMetadata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend over a fake native layer, plus its behaviour on this GPU-less machine. */
class TensorRtBackendTest {
  @TempDir Path dir;

  /** Engine: output "output" = 2 × input, FP32 [-1, width], kMAX batch from the profile. */
  static class FakeNative implements TrtNative {
    final List<Long> batches = new CopyOnWriteArrayList<>();
    Map<String, OptimizationProfiles.Range> builtProfile;
    boolean builtFp16;
    byte[] deserialized;
    boolean closed;

    @Override
    public void probe() {}

    @Override
    public byte[] buildFromOnnx(
        Path onnx,
        boolean fp16,
        Map<String, OptimizationProfiles.Range> profile,
        long workspaceBytes,
        int deviceId) {
      builtProfile = profile;
      builtFp16 = fp16;
      long max = profile.get("input").max().get(0);
      long width = profile.get("input").max().get(1);
      return ("plan:" + max + ":" + width).getBytes();
    }

    @Override
    public TrtEngine deserialize(byte[] plan, int deviceId, int contexts) {
      deserialized = plan;
      String[] parts = new String(plan).split(":");
      long max = Long.parseLong(parts[1]);
      long width = Long.parseLong(parts[2]);
      return new TrtEngine() {
        @Override
        public List<EngineTensor> tensors() {
          return List.of(
              new EngineTensor("input", true, "kFLOAT", List.of(-1L, width), List.of(max, width)),
              new EngineTensor(
                  "output", false, "kFLOAT", List.of(-1L, width), List.of(max, width)));
        }

        @Override
        public long deviceMemoryBytes() {
          return 1000;
        }

        @Override
        public Map<String, HostTensor> execute(Map<String, HostTensor> inputs, Set<String> outputs)
            throws InferenceFailure {
          HostTensor in = inputs.get("input");
          if (in.shape().get(0) > max) {
            throw new InferenceFailure("batch over kMAX");
          }
          batches.add(in.shape().get(0));
          ByteBuffer src = in.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
          ByteBuffer dst = ByteBuffer.allocate(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
          while (src.hasRemaining()) {
            dst.putFloat(src.getFloat() * 2);
          }
          dst.flip();
          Map<String, HostTensor> out = new LinkedHashMap<>();
          out.put("output", new HostTensor(in.shape(), dst));
          return out;
        }

        @Override
        public void close() {
          closed = true;
        }
      };
    }
  }

  @Test
  void shouldBuildWithProfileAndSplitBatchesOverKmaxWhenLoadingOnnx() throws Exception {
    FakeNative fake = new FakeNative();
    TensorRtBackend backend = new TensorRtBackend(() -> fake);
    Path model = Path.of("..", "examples", "mlp", "model.onnx");
    try (LoadedModel loaded =
        backend.load(
            new ModelSource(
                "mlp",
                "mlp-predictor-00000000",
                model,
                "tensorrt",
                Map.of("maxBatchSize", "8", "optBatchSize", "4", "fp16", "true")))) {
      assertThat(fake.builtFp16).isTrue();
      assertThat(fake.builtProfile.get("input"))
          .isEqualTo(
              new OptimizationProfiles.Range(List.of(1L, 64L), List.of(4L, 64L), List.of(8L, 64L)));
      assertThat(loaded.metadata().platform()).isEqualTo("tensorrt_plan");
      assertThat(loaded.metadata().inputs())
          .containsExactly(new TensorMetadata("input", DataType.FP32, List.of(-1L, 64L)));
      assertThat(loaded.memoryBytes()).isGreaterThan(1000);
      float[] x = new float[20 * 64];
      for (int i = 0; i < x.length; i++) {
        x[i] = i;
      }
      var out =
          loaded.infer(List.of(Tensors.ofFloats("input", List.of(20L, 64L), x)), Set.of()).get(0);
      assertThat(fake.batches).containsExactly(8L, 8L, 4L);
      assertThat(out.getShape()).containsExactly(20L, 64L);
      float[] y = Tensors.toFloats(out);
      for (int i = 0; i < x.length; i++) {
        assertThat(y[i]).isEqualTo(2 * x[i]);
      }
    }
    assertThat(fake.closed).isTrue();
  }

  @Test
  void shouldDeserializePlanFileAsIsWhenGivenEngine() throws Exception {
    FakeNative fake = new FakeNative();
    Path plan = Files.write(dir.resolve("model.plan"), "plan:16:3".getBytes());
    try (LoadedModel loaded =
        new TensorRtBackend(() -> fake)
            .load(new ModelSource("m", "m-predictor-1", dir, "tensorrt", Map.of()))) {
      assertThat(fake.deserialized).isEqualTo(Files.readAllBytes(plan));
      assertThat(fake.builtProfile).isNull();
      assertThat(loaded.metadata().outputs().get(0).shape()).containsExactly(-1L, 3L);
    }
  }

  @Test
  void shouldReportUnavailableAndRefuseLoadWhenNativesMissing() {
    TensorRtBackend backend =
        new TensorRtBackend(
            () ->
                new FakeNative() {
                  @Override
                  public void probe() {
                    throw new UnsatisfiedLinkError("no jnitensorrt in java.library.path");
                  }
                });
    assertThat(backend.availability().available()).isFalse();
    assertThat(backend.availability().reason())
        .startsWith("CUDA/TensorRT native libraries not found: ")
        .contains("jnitensorrt");
    assertThatThrownBy(() -> backend.load(new ModelSource("m", "r", dir, "tensorrt", Map.of())))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("CUDA/TensorRT native libraries not found");
  }

  @Test
  void shouldBeUnavailableOnThisMachineWithoutNativeJarsOrGpu() throws Exception {
    TensorRtBackend real = new TensorRtBackend();
    org.junit.jupiter.api.Assumptions.assumeFalse(
        real.availability().available(), "TensorRT natives and a GPU are present here");
    assertThat(real.availability().reason())
        .startsWith("CUDA/TensorRT native libraries not found: ");
    BackendRegistry registry = BackendRegistry.load();
    assertThat(registry.formats()).contains("onnx", "tensorrt");
    assertThatThrownBy(() -> registry.forFormat("tensorrt"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no available backend for model format 'tensorrt'")
        .hasMessageContaining("CUDA/TensorRT native libraries not found");
  }

  @Test
  void shouldRejectBadParameters() {
    TensorRtBackend backend = new TensorRtBackend(FakeNative::new);
    Path model = Path.of("..", "examples", "mlp", "model.onnx");
    List<Map<String, String>> bad = new ArrayList<>();
    bad.add(Map.of("maxBatchSize", "0"));
    bad.add(Map.of("maxBatchSize", "lots"));
    for (Map<String, String> params : bad) {
      assertThatThrownBy(() -> backend.load(new ModelSource("m", "r", model, "tensorrt", params)))
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("maxBatchSize");
    }
  }
}
