package dev.kaskade.workers.backend.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBackend;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.onnx.OnnxBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs an ONNX model through TensorRT on a real GPU, checks it against ONNX Runtime and prints
 * throughput at batch 1 and 32. Skipped (with the reason) where the CUDA/TensorRT natives or a GPU
 * are missing; run it with {@code model-workers/gpu-check.sh}.
 *
 * <p>System properties: {@code kaskade.trt.model} (default {@code ../examples/mlp/model.onnx}),
 * {@code kaskade.trt.fp16} (default false), {@code kaskade.trt.seconds} (per batch size, default
 * 3).
 */
class TensorRtGpuIT {

  @Test
  void shouldMatchOnnxRuntimeAndReportThroughputWhenGpuPresent() throws Exception {
    TensorRtBackend backend = new TensorRtBackend();
    ModelBackend.Availability availability = backend.availability();
    Assumptions.assumeTrue(availability.available(), availability.reason());

    Path model = Path.of(System.getProperty("kaskade.trt.model", "../examples/mlp/model.onnx"));
    boolean fp16 = Boolean.getBoolean("kaskade.trt.fp16");
    double seconds = Double.parseDouble(System.getProperty("kaskade.trt.seconds", "3"));
    Map<String, String> params =
        Map.of("maxBatchSize", "32", "optBatchSize", "32", "fp16", Boolean.toString(fp16));
    try (LoadedModel trt =
            backend.load(new ModelSource("mlp", "mlp-gpu", model, "tensorrt", params));
        LoadedModel ort =
            new OnnxBackend().load(new ModelSource("mlp", "mlp-cpu", model, "onnx", Map.of()))) {
      String input = trt.metadata().inputs().get(0).name();
      long width = trt.metadata().inputs().get(0).shape().get(1);
      float tolerance = fp16 ? 2e-2f : 1e-3f;

      // Batch 70 > kMAX 32: split into 32 + 32 + 6 and joined back.
      for (int batch : new int[] {1, 32, 70}) {
        var request =
            List.of(Tensors.ofFloats(input, List.of((long) batch, width), data(batch, width)));
        float[] gpu = Tensors.toFloats(trt.infer(request, Set.of()).get(0));
        float[] cpu = Tensors.toFloats(ort.infer(request, Set.of()).get(0));
        assertThat(gpu).hasSameSizeAs(cpu);
        for (int i = 0; i < cpu.length; i++) {
          assertThat(gpu[i])
              .as("batch %d element %d", batch, i)
              .isCloseTo(cpu[i], org.assertj.core.data.Offset.offset(tolerance));
        }
      }

      StringBuilder report = new StringBuilder();
      for (int batch : new int[] {1, 32}) {
        var request =
            List.of(Tensors.ofFloats(input, List.of((long) batch, width), data(batch, width)));
        for (int i = 0; i < 50; i++) {
          trt.infer(request, Set.of());
        }
        long calls = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
          trt.infer(request, Set.of());
          calls++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        String line =
            "TensorRT throughput model=%s fp16=%s batch=%d: %.0f calls/s, %.0f rows/s, mean %.3f ms/call"
                .formatted(
                    model.getFileName(),
                    fp16,
                    batch,
                    calls / elapsed,
                    calls * batch / elapsed,
                    elapsed * 1000 / calls);
        System.out.println(line);
        report.append(line).append('\n');
      }
      Path out = Path.of("target", "trt-throughput.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(
          out, report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }
  }

  private static float[] data(int batch, long width) {
    float[] values = new float[(int) (batch * width)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.sin(i * 0.113);
    }
    return values;
  }
}
