package dev.kaskade.workers.backend.onnx;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Run in a child JVM by {@link OrtRuntimeTest}: loads {@link OnnxTestModels#sumAndDiff} from the
 * file given through the ONNX Runtime backend, as a worker does, runs it once and prints {@code
 * sum=[...]}. Usage: {@code LongCommandLineProbe FILE}.
 */
public final class LongCommandLineProbe {
  private LongCommandLineProbe() {}

  public static void main(String[] args) throws Exception {
    try (LoadedModel model =
        new OnnxBackend().load(new ModelSource("m", "r1", Path.of(args[0]), "onnx", Map.of()))) {
      List<Tensor> inputs =
          List.of(
              Tensors.ofFloats("a", List.of(1L, 2L), new float[] {1, 2}),
              Tensors.ofFloats("b", List.of(1L, 2L), new float[] {10, 20}));
      Tensor sum = model.infer(inputs, Set.of("sum")).get(0);
      System.out.println("sum=" + java.util.Arrays.toString(Tensors.toFloats(sum)));
    }
  }
}
