package dev.kaskade.workers.backend.triton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBatching;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.backend.onnx.OnnxBackend;
import dev.kaskade.workers.backend.tensorrt.EngineTensor;
import dev.kaskade.workers.backend.tensorrt.HostTensor;
import dev.kaskade.workers.backend.tensorrt.OptimizationProfiles;
import dev.kaskade.workers.backend.tensorrt.TensorRtBackend;
import dev.kaskade.workers.backend.tensorrt.TrtEngine;
import dev.kaskade.workers.backend.tensorrt.TrtNative;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tensorrt_plan model of a Triton repository goes to the TensorRT backend (fake natives). */
class TritonPlanTest {
  @TempDir Path repo;

  /** An engine with input "input" and output "output", FP32 [-1,3]; it echoes the input. */
  static final class EchoNative implements TrtNative {
    byte[] deserialized;

    @Override
    public void probe() {}

    @Override
    public byte[] buildFromOnnx(
        Path onnx,
        boolean fp16,
        Map<String, OptimizationProfiles.Range> profile,
        long workspaceBytes,
        int deviceId) {
      throw new AssertionError("a plan is deserialized, not built");
    }

    @Override
    public TrtEngine deserialize(byte[] plan, int deviceId, int contexts) {
      deserialized = plan;
      return new TrtEngine() {
        @Override
        public List<EngineTensor> tensors() {
          return List.of(
              new EngineTensor("input", true, "kFLOAT", List.of(-1L, 3L), List.of(16L, 3L)),
              new EngineTensor("output", false, "kFLOAT", List.of(-1L, 3L), List.of(16L, 3L)));
        }

        @Override
        public long deviceMemoryBytes() {
          return 1;
        }

        @Override
        public Map<String, HostTensor> execute(
            Map<String, HostTensor> inputs, Set<String> outputs) {
          return Map.of("output", inputs.get("input"));
        }

        @Override
        public void close() {}
      };
    }
  }

  @Test
  void aTensorRtPlanIsDeserializedByTheTensorRtBackendWithTheConfiguredSignature()
      throws Exception {
    Path version = Files.createDirectories(repo.resolve("plan/1"));
    Files.write(version.resolve("model.plan"), "engine bytes".getBytes());
    Files.writeString(
        repo.resolve("plan/config.pbtxt"),
        """
        platform: "tensorrt_plan"
        max_batch_size: 16
        input [ { name: "input", data_type: TYPE_FP32, dims: [ 3 ] } ]
        output [ { name: "output", data_type: TYPE_FP32, dims: [ 3 ] } ]
        dynamic_batching { }
        """);
    EchoNative fake = new EchoNative();

    try (LoadedModel model = load(fake)) {
      assertThat(fake.deserialized).isEqualTo("engine bytes".getBytes());
      assertThat(model.metadata().platform()).isEqualTo("tensorrt_plan");
      assertThat(model.metadata().inputs())
          .containsExactly(new TensorMetadata("input", DataType.FP32, List.of(-1L, 3L)));
      assertThat(model.batching()).contains(new ModelBatching(16, true, 0, List.of()));
      Tensor input = Tensors.ofFloats("input", List.of(1L, 3L), new float[] {1, 2, 3});
      assertThat(Tensors.toFloats(model.infer(List.of(input), Set.of()).get(0)))
          .containsExactly(1, 2, 3);
    }
  }

  private LoadedModel load(EchoNative fake) throws ModelLoadException {
    return new TritonBackend(new OnnxBackend(), new TensorRtBackend(() -> fake))
        .load(new ModelSource("plan", "r1", repo, "triton", Map.of()));
  }
}
