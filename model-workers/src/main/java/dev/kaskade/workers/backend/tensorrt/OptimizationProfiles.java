package dev.kaskade.workers.backend.tensorrt;

import dev.kaskade.workers.backend.ModelLoadException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Optimization profile 0 for an ONNX model with a dynamic batch dimension: kMIN batch 1, kOPT
 * {@code optBatch}, kMAX {@code maxBatch}; every other dimension must be static.
 */
public final class OptimizationProfiles {
  private OptimizationProfiles() {}

  /** kMIN/kOPT/kMAX shapes of one input. */
  public record Range(List<Long> min, List<Long> opt, List<Long> max) {
    public Range {
      min = List.copyOf(min);
      opt = List.copyOf(opt);
      max = List.copyOf(max);
    }
  }

  /**
   * Computes the profile.
   *
   * @param inputs network inputs in order: name → dims with -1 for dynamic
   * @param maxBatch kMAX batch (≥ 1)
   * @param optBatch kOPT batch, clamped to [1, maxBatch]
   */
  public static Map<String, Range> compute(
      Map<String, List<Long>> inputs, int maxBatch, int optBatch) throws ModelLoadException {
    if (maxBatch < 1) {
      throw new ModelLoadException("maxBatchSize must be at least 1, got " + maxBatch);
    }
    int opt = Math.max(1, Math.min(optBatch, maxBatch));
    Map<String, Range> ranges = new LinkedHashMap<>();
    for (Map.Entry<String, List<Long>> input : inputs.entrySet()) {
      List<Long> dims = input.getValue();
      List<Long> min = new ArrayList<>(dims);
      List<Long> optimal = new ArrayList<>(dims);
      List<Long> max = new ArrayList<>(dims);
      for (int axis = 0; axis < dims.size(); axis++) {
        if (dims.get(axis) >= 0) {
          continue;
        }
        if (axis != 0) {
          throw new ModelLoadException(
              "input '"
                  + input.getKey()
                  + "' has dynamic dimension "
                  + axis
                  + " in "
                  + dims
                  + "; the TensorRT backend only supports a dynamic batch (first) dimension");
        }
        min.set(0, 1L);
        optimal.set(0, (long) opt);
        max.set(0, (long) maxBatch);
      }
      ranges.put(input.getKey(), new Range(min, optimal, max));
    }
    return ranges;
  }
}
